using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Accounting.Accountant.Auth;

/// <summary>
/// Declares the API-key bearer scheme on each operation that needs a key (Swagger UI's Authorize button sends it),
/// and names the operation's roles in its description.
/// </summary>
public sealed class OpenApiSecurity : IOperationFilter
{
    /// <summary>The scheme's name in the document.</summary>
    public const string SchemeName = "apiKey";

    /// <summary>The scheme: HTTP bearer with the API key as the token.</summary>
    public static OpenApiSecurityScheme Scheme { get; } = new()
    {
        Type = SecuritySchemeType.Http,
        Scheme = "bearer",
        Description = "An API key (ak_….…), sent as 'Authorization: Bearer <key>'. The service writes its first admin key to "
            + "admin.key next to its database; admins create the others with POST /v1/keys.",
    };

    /// <inheritdoc />
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var access = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<Access>().LastOrDefault();
        if (access is null || access.Open)
        {
            return;
        }
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [] });
        operation.Description = $"{operation.Description}\n\nRoles: {string.Join(", ", access.RoleNames)}.".TrimStart();
    }
}
