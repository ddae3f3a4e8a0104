using System.Security.Claims;
using System.Text.Encodings.Web;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Endpoints;
using Accounting.Accountant.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Accounting.Accountant.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;key&gt;</c> (RFC 6750 §2.1) against the stored key hashes, and answers
/// 401 and 403 as problems. With authentication off, every request is the development identity, holding every role.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys,
    IOptions<AccountantOptions> options)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The identity (and ledger actor) of every request while authentication is off.</summary>
    public const string Development = "development";

    private const string Malformed = "the key is malformed: send 'Authorization: Bearer <key>' with the key as created";
    private const string Refused = "the key is unknown or revoked";

    /// <inheritdoc />
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!options.Value.Auth.Enabled)
        {
            return Success(Development, Development, Enum.GetValues<KeyRole>());
        }
        var header = Request.Headers.Authorization;
        if (header.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }
        var parts = header.Count == 1 ? header[0]!.Split(' ', 2) : [];
        // The scheme name is case-insensitive (RFC 9110 §11.1).
        if (parts.Length != 2 || !parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase) || ApiKeyToken.IdOf(parts[1].Trim()) is not { } id)
        {
            return AuthenticateResult.Fail(Malformed);
        }
        var key = await keys.VerifyAsync(id, parts[1].Trim(), Context.RequestAborted).ConfigureAwait(false);
        return key is null ? AuthenticateResult.Fail(Refused) : Success(key.Id, key.Name, [key.Role]);
    }

    /// <inheritdoc />
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false)).Failure;
        // RFC 6750 §3: name the scheme; a key that was sent and refused is an invalid_token.
        Response.Headers.WWWAuthenticate = failure is null ? "Bearer realm=\"accounting\"" : "Bearer realm=\"accounting\", error=\"invalid_token\"";
        await ProblemMapping.WriteAsync(Context, ProblemException.ForField(
            ProblemKind.Unauthenticated, "Authorization", failure?.Message ?? "send an API key as 'Authorization: Bearer <key>'")).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetMetadata<Access>()?.RoleNames ?? [];
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        return ProblemMapping.WriteAsync(Context, ProblemException.ForField(
            ProblemKind.Forbidden, "Authorization", $"needs a key with role {string.Join(" or ", needed)}; this key's role is {role}")).AsTask();
    }

    private static AuthenticateResult Success(string id, string name, IEnumerable<KeyRole> roles)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, id), new(ClaimTypes.Name, name) };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, Names.Of(r))));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
