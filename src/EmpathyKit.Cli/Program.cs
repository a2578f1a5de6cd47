using EmpathyKit.Cli;

return await CliApp.CreateRoot().Parse(args).InvokeAsync();
