using Accounting.Accountant;

var app = await AccountantHost.BuildAsync(args);
await app.RunAsync();
