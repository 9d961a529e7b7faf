using QueueFunctions.LocalHost.CommandLine;

return await LocalHostProgram.RunAsync(args);
