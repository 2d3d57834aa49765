using Microsoft.Extensions.Options;

namespace DataPlatform.Analytics.Alerts;

/// <summary>Checks the alert rule at start-up and names every setting that cannot be applied, with what to set.</summary>
public sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var section = AlertOptions.SectionName;
        if (options.BaselineMinutes < 3)
        {
            failures.Add($"{section}:BaselineMinutes must be at least 3 minutes (got {options.BaselineMinutes}).");
        }
        if (options.MinBaselineMinutes < 1 || options.MinBaselineMinutes > options.BaselineMinutes)
        {
            failures.Add($"{section}:MinBaselineMinutes must be from 1 to {section}:BaselineMinutes ({options.BaselineMinutes}; got {options.MinBaselineMinutes}).");
        }
        if (!double.IsFinite(options.OpenThreshold) || options.OpenThreshold <= 0)
        {
            failures.Add($"{section}:OpenThreshold must be a number of spreads above 0 (got {options.OpenThreshold}).");
        }
        if (!double.IsFinite(options.CloseThreshold) || options.CloseThreshold < 0 || options.CloseThreshold >= options.OpenThreshold)
        {
            failures.Add($"{section}:CloseThreshold must be at least 0 and below {section}:OpenThreshold ({options.OpenThreshold}; got {options.CloseThreshold}), so that an alert closes only once the signal is clearly back.");
        }
        if (options.OpenAfterMinutes < 1)
        {
            failures.Add($"{section}:OpenAfterMinutes must be at least 1 minute (got {options.OpenAfterMinutes}).");
        }
        if (options.CloseAfterMinutes < 1)
        {
            failures.Add($"{section}:CloseAfterMinutes must be at least 1 minute (got {options.CloseAfterMinutes}).");
        }
        if (!double.IsFinite(options.RelativeFloor) || options.RelativeFloor < 0)
        {
            failures.Add($"{section}:RelativeFloor must be 0 or more (got {options.RelativeFloor}).");
        }
        foreach (var signal in AlertSignal.All)
        {
            var spread = signal.MinSpread(options);
            if (!double.IsFinite(spread) || spread <= 0)
            {
                failures.Add($"{section}:{signal.MinSpreadSetting} must be above 0, or a flat baseline would alert on any change (got {spread}).");
            }
        }
        if (options.RecentClosed < 0)
        {
            failures.Add($"{section}:RecentClosed must be 0 or more (got {options.RecentClosed}).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
