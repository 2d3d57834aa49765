namespace DataPlatform.Contracts.Messages;

/// <summary>The event types (app event_type or clickstream action) the analytics understand.</summary>
public static class EventTypes
{
    public const string AppOpen = "app_open";
    public const string ScreenView = "screen_view";
    public const string ButtonClick = "button_click";
    public const string AddToCart = "add_to_cart";
    public const string Purchase = "purchase";
    public const string AppClose = "app_close";
    public const string Error = "error";
    public const string PageView = "page_view";
    public const string Click = "click";
    public const string Checkout = "checkout";

    public static bool IsPageView(string eventType) => eventType is PageView or ScreenView;

    public static bool IsClick(string eventType) => eventType is Click or ButtonClick;
}
