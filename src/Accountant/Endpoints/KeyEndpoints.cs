using Accounting.Accountant.Auth;
using Accounting.Accountant.Contracts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Accounting.Accountant.Endpoints;

/// <summary>API keys, for admins: create (the key is shown once), list without secrets, revoke.</summary>
public static class KeyEndpoints
{
    /// <summary>Maps the key endpoints.</summary>
    public static RouteGroupBuilder MapKeyEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/", Create).WithName("CreateKey").WithExample(Examples.CreateKey);
        group.MapGet("/", List).WithName("ListKeys");
        group.MapDelete("/{id}", Revoke).WithName("RevokeKey")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return group.WithTags("Keys").ProducesValidationProblem();
    }

    /// <summary>Creates a key with a role. The answer holds the key itself, which is stored only as a hash and cannot be shown again.</summary>
    /// <param name="request">The holder's name and the role.</param>
    public static async Task<Created<CreatedKeyResponse>> Create(CreateKeyRequest request, ApiKeys keys, HttpContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var created = await keys.CreateAsync(request, cancellationToken).ConfigureAwait(false);
        context.Response.Headers.CacheControl = "no-store"; // a secret: no cache may keep it (OWASP REST Security Cheat Sheet)
        return TypedResults.Created((string?)null, created);
    }

    /// <summary>Every key, revoked ones included, without secrets.</summary>
    public static async Task<Ok<IReadOnlyList<KeyResponse>>> List(ApiKeys keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.ListAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>Revokes a key at once; its requests are refused from now on. The last active admin key cannot be revoked.</summary>
    /// <param name="id">The key's id (the part of the key before the '.').</param>
    public static async Task<NoContent> Revoke(string id, ApiKeys keys, CancellationToken cancellationToken)
    {
        await keys.RevokeAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
