using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Accounting.Accountant.Endpoints;

/// <summary>A request example for the OpenAPI document, attached as endpoint metadata.</summary>
/// <param name="Json">The example body.</param>
public sealed record RequestExample(string Json);

/// <summary>Marks endpoints that take bulk bodies (up to <see cref="BulkBody.MaxBytes"/>) instead of the default limit.</summary>
public sealed record BulkBody
{
    /// <summary>Largest bulk body: a million 40-character ids with room to spare.</summary>
    public const long MaxBytes = 64L * 1024 * 1024;

    /// <summary>Largest body of any other endpoint.</summary>
    public const long DefaultMaxBytes = 1024 * 1024;
}

/// <summary>Endpoint conventions shared by the groups.</summary>
public static class EndpointConventions
{
    /// <summary>Shows <paramref name="json"/> as the request example in Swagger UI.</summary>
    public static RouteHandlerBuilder WithExample(this RouteHandlerBuilder builder, string json) =>
        builder.WithMetadata(new RequestExample(json));

    /// <summary>Lets the endpoint read bodies up to <see cref="BulkBody.MaxBytes"/>.</summary>
    public static RouteHandlerBuilder AllowsBulkBody(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new BulkBody()).ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    /// <summary>
    /// Applies each endpoint's body limit (the bulk one where marked, the default elsewhere) and keeps the body
    /// re-readable, so that a JSON error can be located in it: a body of known length within the default limit is read
    /// whole later (<see cref="UseWholeBodies"/>), any other is buffered as it is read.
    /// </summary>
    public static IApplicationBuilder UseBodyLimits(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (!IsReadWhole(context.Request))
            {
                // Any body within the default limit stays in memory (ASP.NET's 30 KB threshold sent a 1,000-unit charge
                // to a temporary file); larger bulk bodies go to one.
                context.Request.EnableBuffering((int)BulkBody.DefaultMaxBytes);
            }
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false })
            {
                feature.MaxRequestBodySize = context.GetEndpoint()?.Metadata.GetMetadata<BulkBody>() is null
                    ? BulkBody.DefaultMaxBytes
                    : BulkBody.MaxBytes;
            }
            return next(context);
        });

    /// <summary>
    /// Reads a body of known length within the default limit into one pooled array before the endpoint binds it, once
    /// the caller is let in, and hands it on as one piece: read as it arrived, a 1,000-unit charge came in 4 KB
    /// segments through a buffering stream, and the JSON reader's path for segmented input took a tenth of the
    /// request's thread (docs/performance.md).
    /// </summary>
    public static IApplicationBuilder UseWholeBodies(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (IsReadWhole(request))
            {
                var length = (int)request.ContentLength!.Value;
                var body = ArrayPool<byte>.Shared.Rent(length);
                context.Response.RegisterForDispose(new Returned(body));
                await request.Body.ReadExactlyAsync(body.AsMemory(0, length), context.RequestAborted).ConfigureAwait(false);
                request.Body = new MemoryStream(body, 0, length, writable: false); // seekable: a JSON error reads it again
                context.Features.Set<IRequestBodyPipeFeature>(new WholeBody(PipeReader.Create(new ReadOnlySequence<byte>(body, 0, length))));
            }
            await next(context).ConfigureAwait(false);
        });

    private static bool IsReadWhole(HttpRequest request) => request.ContentLength is > 0 and <= BulkBody.DefaultMaxBytes;

    private sealed class WholeBody(PipeReader reader) : IRequestBodyPipeFeature
    {
        public PipeReader Reader { get; } = reader;
    }

    // Gives the body's array back to the pool when the request is done with it.
    private sealed class Returned(byte[] array) : IDisposable
    {
        public void Dispose() => ArrayPool<byte>.Shared.Return(array);
    }

    /// <summary>
    /// Restores slashes in <c>{id}</c> route values. Kestrel decodes every escape in the path except %2F, which it
    /// keeps so that segments stay apart; ids may hold '/' (e.g. <c>mnist/example-1</c>) and never '%', so any
    /// '%' left in the value is an escaped slash.
    /// </summary>
    public static IApplicationBuilder UseSlashesInIds(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.Request.RouteValues.TryGetValue("id", out var value) && value is string id && id.Contains('%', StringComparison.Ordinal))
            {
                context.Request.RouteValues["id"] = id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
            }
            return next(context);
        });
}
