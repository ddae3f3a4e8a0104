using Accounting.Accountant.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Accounting.Accountant.Auth;

/// <summary>Applies <see cref="Permissions"/> to endpoints.</summary>
public static class PermissionConventions
{
    /// <summary>
    /// Gives every endpoint under <paramref name="builder"/> its row of the matrix, looked up by endpoint name once all
    /// of the endpoint's own conventions (its name among them) have run: open endpoints allow anonymous callers; the
    /// others need an authenticated key with one of the row's roles (none for a missing row). The row itself stays in
    /// the metadata, for the 403 answer and the OpenAPI document.
    /// </summary>
    public static TBuilder RequirePermissions<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var access = Permissions.For(endpoint.Metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName);
            endpoint.Metadata.Add(access);
            if (access.Open)
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
                return;
            }
            var policy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser();
            endpoint.Metadata.Add(access.Roles.Count == 0
                ? policy.RequireAssertion(_ => false).Build()
                : policy.RequireRole(access.RoleNames).Build());
            endpoint.Metadata.Add(Problem(StatusCodes.Status401Unauthorized));
            endpoint.Metadata.Add(Problem(StatusCodes.Status429TooManyRequests));
            if (access.Roles.Count < Enum.GetValues<KeyRole>().Length)
            {
                endpoint.Metadata.Add(Problem(StatusCodes.Status403Forbidden));
            }
        });
        return builder;
    }

    // A problem answer in the OpenAPI document, as ProducesProblem declares one.
    private static ProducesResponseTypeMetadata Problem(int status) => new(status, typeof(ProblemDetails), ["application/problem+json"]);
}
