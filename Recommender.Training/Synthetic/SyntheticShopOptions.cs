namespace Recommender.Training.Synthetic;

/// <summary>
/// The size and shape of a <see cref="SyntheticShop"/>. Only the sizes and the seed are on the
/// command line; the shape defaults resemble the public Amazon data sets and small web shops.
/// </summary>
public sealed class SyntheticShopOptions
{
    public int Users { get; set; }
    public int Items { get; set; }

    /// <summary>Total picks; at least <see cref="MinimumPerBuyer"/> × <see cref="Users"/>.</summary>
    public long Interactions { get; set; }

    public long Seed { get; set; } = 1;

    /// <summary>s in weight(rank r) = 1/(r+1)^s: 1 is the classic Zipf law of shop sales.</summary>
    public double PopularityExponent { get; set; } = 1.0;

    /// <summary>σ of the log-normal buyer activity above the floor (the median buyer is well below the mean).</summary>
    public double ActivitySigma { get; set; } = 1.0;

    /// <summary>Every buyer has at least this many products.</summary>
    public int MinimumPerBuyer { get; set; } = 2;

    /// <summary>Product categories; 0 means one per ~200 products, between 4 and 256.</summary>
    public int Categories { get; set; }

    /// <summary>Share of picks from a favourite category rather than the whole catalogue.</summary>
    public double CategoryShare { get; set; } = 0.8;

    /// <summary>Chance that the next in-category pick stays in the current favourite.</summary>
    public double StayInCategory { get; set; } = 0.7;

    internal int EffectiveCategories => Math.Min(Items, Categories > 0 ? Categories : Math.Clamp(Items / 200, 4, 256));

    /// <summary>Throws <see cref="ArgumentException"/> naming the first out-of-range value.</summary>
    public void Validate()
    {
        if (Users < 1) throw new ArgumentException($"Users must be at least 1, got {Users}.");
        if (MinimumPerBuyer < 1) throw new ArgumentException($"MinimumPerBuyer must be at least 1, got {MinimumPerBuyer}.");
        if (Items < MinimumPerBuyer)
            throw new ArgumentException($"Items must be at least MinimumPerBuyer ({MinimumPerBuyer}), got {Items}.");
        if (Interactions < (long)MinimumPerBuyer * Users)
            throw new ArgumentException($"Interactions must be at least {MinimumPerBuyer} per user ({(long)MinimumPerBuyer * Users}), got {Interactions}.");
        if (Interactions > (long)Users * Math.Max(MinimumPerBuyer, Items / 4))
            throw new ArgumentException($"Interactions ({Interactions}) exceed what {Users} users can pick at a quarter of {Items} items each.");
        if (!double.IsFinite(PopularityExponent) || PopularityExponent < 0)
            throw new ArgumentException($"PopularityExponent must be a finite number ≥ 0, got {PopularityExponent}.");
        if (!double.IsFinite(ActivitySigma) || ActivitySigma < 0)
            throw new ArgumentException($"ActivitySigma must be a finite number ≥ 0, got {ActivitySigma}.");
        if (Categories < 0) throw new ArgumentException($"Categories must be 0 (automatic) or positive, got {Categories}.");
        if (CategoryShare is < 0 or > 1 || double.IsNaN(CategoryShare))
            throw new ArgumentException($"CategoryShare must be between 0 and 1, got {CategoryShare}.");
        if (StayInCategory is < 0 or > 1 || double.IsNaN(StayInCategory))
            throw new ArgumentException($"StayInCategory must be between 0 and 1, got {StayInCategory}.");
    }
}
