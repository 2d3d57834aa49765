using Bogus;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Simulator.Generation;

/// <summary>
/// Plans realistic funnels: app sessions (open, screens, clicks, cart, purchase, close) and web visits
/// (landing page, browsing, cart, checkout, purchase), with drop-off that depends on engagement.
/// </summary>
internal sealed class FunnelPlanner(Randomizer random)
{
    private static readonly string[] Screens = ["home", "search", "category", "product", "cart", "profile", "settings"];
    private static readonly string[] Categories = ["electronics", "books", "clothing", "home", "sports", "toys"];
    private static readonly string[] SearchTerms = ["laptop", "shoes", "lamp", "novel", "headphones", "tent"];

    public Queue<PlannedEvent> PlanAppSession(double engagement)
    {
        var steps = new Queue<PlannedEvent>();
        steps.Enqueue(new PlannedEvent(EventTypes.AppOpen, "launch"));
        var screens = random.Number(1, 2 + (int)(engagement * 5));
        for (var i = 0; i < screens; i++)
        {
            steps.Enqueue(new PlannedEvent(EventTypes.ScreenView, random.ArrayElement(Screens)));
            if (random.Double() < 0.4)
            {
                steps.Enqueue(new PlannedEvent(EventTypes.ButtonClick, random.ArrayElement(Screens)));
            }
            if (random.Double() < 0.02)
            {
                steps.Enqueue(new PlannedEvent(EventTypes.Error, random.ArrayElement(Screens)));
            }
        }
        if (random.Double() < 0.15 + 0.3 * engagement)
        {
            steps.Enqueue(new PlannedEvent(EventTypes.AddToCart, "product"));
            if (random.Double() < 0.45)
            {
                steps.Enqueue(new PlannedEvent(EventTypes.Purchase, "checkout", Price()));
            }
        }
        if (random.Double() < 0.8)
        {
            steps.Enqueue(new PlannedEvent(EventTypes.AppClose, "home"));
        }
        return steps;
    }

    public Queue<PlannedEvent> PlanWebVisit(double engagement)
    {
        var steps = new Queue<PlannedEvent>();
        steps.Enqueue(new PlannedEvent(EventTypes.PageView, LandingPage()));
        if (random.Double() < 0.4 - 0.25 * engagement)
        {
            return steps; // bounce
        }
        var pages = random.Number(1, 2 + (int)(engagement * 6));
        for (var i = 0; i < pages; i++)
        {
            var page = ProductPage();
            steps.Enqueue(new PlannedEvent(EventTypes.Click, page));
            steps.Enqueue(new PlannedEvent(EventTypes.PageView, page));
        }
        if (random.Double() < 0.2 + 0.3 * engagement)
        {
            steps.Enqueue(new PlannedEvent(EventTypes.AddToCart, "/cart"));
            steps.Enqueue(new PlannedEvent(EventTypes.PageView, "/cart"));
            if (random.Double() < 0.6)
            {
                steps.Enqueue(new PlannedEvent(EventTypes.Checkout, "/checkout"));
                if (random.Double() < 0.7)
                {
                    steps.Enqueue(new PlannedEvent(EventTypes.Purchase, "/checkout/confirmation", Price()));
                }
            }
        }
        return steps;
    }

    private double Price() => Math.Round(random.Double(5, 400), 2);

    private string LandingPage() => random.Number(0, 3) switch
    {
        0 => "/",
        1 => $"/products/{random.ArrayElement(Categories)}",
        2 => $"/search?q={random.ArrayElement(SearchTerms)}",
        _ => ProductPage(),
    };

    private string ProductPage() => $"/products/{random.ArrayElement(Categories)}/p-{random.Number(1, ShopActivity.Products):D4}";
}
