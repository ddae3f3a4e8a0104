using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Accounting.Accountant.Endpoints;

/// <summary>Puts each endpoint's <see cref="RequestExample"/> into the OpenAPI document as its request body example.</summary>
public sealed class OpenApiExamples : IOperationFilter
{
    /// <inheritdoc />
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var example = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().FirstOrDefault();
        if (example is null || operation.RequestBody?.Content is not { } content)
        {
            return;
        }
        foreach (var media in content.Values.OfType<OpenApiMediaType>())
        {
            media.Example = JsonNode.Parse(example.Json);
        }
    }
}
