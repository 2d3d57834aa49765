namespace DataPlatform.Simulator.Generation;

/// <summary>A member of the simulated population and the way it reaches the product.</summary>
internal sealed record SimulatedUser(string UserId, string AppType, string Device, string Country, double Engagement);
