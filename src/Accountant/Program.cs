using Accounting.Accountant;
using Accounting.Accountant.Auth;
using Accounting.Accountant.Verification;

// The auditor's verifier runs offline, on an export file, without building the service.
if (args is ["verify", .. var rest])
{
    return VerifyCommand.Run(rest, Console.Out);
}

// `keys …` is an admin command on the database (no web host); anything else runs the service.
if (args is ["keys", .. var command])
{
    return await KeysCommand.RunAsync(command, Console.Out, Console.Error);
}
var app = await AccountantHost.BuildAsync(args);
await app.RunAsync();
return 0;
