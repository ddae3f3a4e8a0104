using System.Security.Claims;
using Accounting.Accountant.Contracts;
using Accounting.Accountant.Domain;
using Accounting.Accountant.Storage;

namespace Accounting.Accountant.Auth;

/// <summary>The caller of the current HTTP request, as its API key (or the development identity) made it; outside requests, the service itself.</summary>
public sealed class RequestCaller(IHttpContextAccessor accessor) : ICaller
{
    /// <summary>The actor of work done outside any request: seeding, the bootstrap key, the keys command.</summary>
    public const string System = "system";

    /// <summary>The actor of a request without a key (only open endpoints run for it).</summary>
    public const string Anonymous = "anonymous";

    /// <inheritdoc />
    public string Actor => accessor.HttpContext is { } context
        ? context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? Anonymous
        : System;

    /// <inheritdoc />
    public bool ReachesAllTasks => accessor.HttpContext?.User is not { } user
        || user.IsInRole(Names.Of(KeyRole.Admin)) || user.IsInRole(Names.Of(KeyRole.Auditor));
}
