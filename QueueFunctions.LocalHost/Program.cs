using QueueFunctions.LocalHost;

return await LocalHostProgram.RunAsync(args);
