using Recommender.Training.Data;

namespace Recommender.Api.Shop;

public static class ShopServiceExtensions
{
    /// <summary>
    /// The shop's database: PostgreSQL from DATABASE_URL or ConnectionStrings:Shop, else the SQLite
    /// demo shop, created on first start by <see cref="DemoShopInitializer"/> (registered first, so it
    /// exists before anything reads it). Which one is decided once, at start-up, from configuration:
    /// the rest of the wiring depends on it.
    /// </summary>
    public static ShopSource AddShop(this IServiceCollection services, IConfiguration configuration, string demoShopPath)
    {
        var shopSource = ShopSource.FromConfiguration(configuration, demoShopPath);
        services.AddSingleton(shopSource);
        services.AddSingleton<IShopDatabase>(_ => shopSource.CreateDatabase());
        services.AddHostedService<DemoShopInitializer>();
        return shopSource;
    }
}
