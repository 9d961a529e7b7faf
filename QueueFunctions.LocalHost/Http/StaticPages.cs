using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;

namespace QueueFunctions.LocalHost.Http;

/// <summary>Serves the web root; a page path without extension (/kiosk) serves the matching .html file.</summary>
static class StaticPages
{
    public static void Use(WebApplication app, string webRoot)
    {
        var files = new PhysicalFileProvider(webRoot);
        app.Use((context, next) =>
        {
            PathString path = context.Request.Path;
            if ((HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                && path.HasValue && path.Value!.Length > 1 && !Path.HasExtension(path.Value)
                && files.GetFileInfo(path.Value.TrimEnd('/') + ".html").Exists)
            {
                context.Request.Path = path.Value.TrimEnd('/') + ".html";
            }

            return next(context);
        });
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
    }
}
