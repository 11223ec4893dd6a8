namespace Recommender.Api.Demo;

/// <summary>
/// The shop's Prisma tables (Recommender.Tests/Fixtures/shop-schema.postgres.sql) in SQLite.
/// Same table and column names, in the same order. Columns declare the PostgreSQL type names,
/// because <see cref="Recommender.Training.Data.SqliteShopDatabase"/> decides each value's JSON
/// type from the declared type: <c>TEXT[]</c> and <c>JSONB</c> hold JSON text, <c>BOOLEAN</c>
/// holds 0/1, <c>TIMESTAMP(3)</c> holds ISO-8601 UTC text. Enums are TEXT with a CHECK.
/// </summary>
internal static class DemoShopSchema
{
    public const string Ddl = """
        CREATE TABLE "Product" (
            "id" TEXT NOT NULL PRIMARY KEY,
            "name" TEXT NOT NULL,
            "description" TEXT NOT NULL DEFAULT '',
            "price" DOUBLE PRECISION NOT NULL,
            "wholesalePrice" DOUBLE PRECISION NOT NULL DEFAULT 0,
            "minOrderQuantity" INTEGER NOT NULL DEFAULT 1,
            "availableQuantity" INTEGER NOT NULL DEFAULT 0,
            "images" TEXT[],
            "isDraft" BOOLEAN NOT NULL DEFAULT 0,
            "status" TEXT NOT NULL DEFAULT 'DRAFT' CHECK ("status" IN ('DRAFT', 'ACTIVE', 'INACTIVE', 'ARCHIVED')),
            "stockStatus" TEXT NOT NULL DEFAULT 'IN_STOCK' CHECK ("stockStatus" IN ('IN_STOCK', 'LOW_STOCK', 'OUT_OF_STOCK')),
            "rating" DOUBLE PRECISION NOT NULL DEFAULT 0,
            "reviewCount" INTEGER NOT NULL DEFAULT 0,
            "dimensions" JSONB,
            "material" TEXT,
            "artistName" TEXT,
            "certifications" TEXT[],
            "rarity" TEXT,
            "label" TEXT,
            "techniques" TEXT[],
            "color" TEXT,
            "fabricType" TEXT,
            "fabricWeight" TEXT,
            "fitType" TEXT,
            "discount" DOUBLE PRECISION NOT NULL DEFAULT 0,
            "deliveryCost" DOUBLE PRECISION NOT NULL DEFAULT 0,
            "certificateIssueDate" TIMESTAMP(3),
            "galleryCertificateName" TEXT,
            "sellerId" TEXT NOT NULL,
            "categoryId" TEXT,
            "pickupAddressId" TEXT,
            "createdAt" TIMESTAMP(3) NOT NULL,
            "updatedAt" TIMESTAMP(3) NOT NULL,
            "attributes" JSONB,
            "thumbnail" TEXT,
            "documents" JSONB
        );

        CREATE TABLE "Order" (
            "id" TEXT NOT NULL PRIMARY KEY,
            "buyerId" TEXT NOT NULL,
            "status" TEXT NOT NULL DEFAULT 'PENDING' CHECK ("status" IN ('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')),
            "createdAt" TIMESTAMP(3) NOT NULL,
            "updatedAt" TIMESTAMP(3) NOT NULL
        );

        CREATE TABLE "OrderItem" (
            "id" TEXT NOT NULL PRIMARY KEY,
            "orderId" TEXT NOT NULL REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE,
            "productId" TEXT NOT NULL REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE,
            "quantity" INTEGER NOT NULL DEFAULT 1,
            "price" DOUBLE PRECISION NOT NULL,
            "createdAt" TIMESTAMP(3) NOT NULL
        );

        CREATE TABLE "Cart" (
            "id" TEXT NOT NULL PRIMARY KEY,
            "buyerId" TEXT NOT NULL,
            "createdAt" TIMESTAMP(3) NOT NULL,
            "updatedAt" TIMESTAMP(3) NOT NULL
        );

        CREATE TABLE "CartItem" (
            "id" TEXT NOT NULL PRIMARY KEY,
            "cartId" TEXT NOT NULL REFERENCES "Cart"("id") ON DELETE CASCADE ON UPDATE CASCADE,
            "productId" TEXT NOT NULL REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE,
            "quantity" INTEGER NOT NULL DEFAULT 1,
            "createdAt" TIMESTAMP(3) NOT NULL,
            "updatedAt" TIMESTAMP(3) NOT NULL
        );

        CREATE TABLE "Wishlist" (
            "id" TEXT NOT NULL PRIMARY KEY,
            "buyerId" TEXT NOT NULL,
            "createdAt" TIMESTAMP(3) NOT NULL,
            "updatedAt" TIMESTAMP(3) NOT NULL
        );

        CREATE TABLE "WishlistItem" (
            "id" TEXT NOT NULL PRIMARY KEY,
            "wishlistId" TEXT NOT NULL REFERENCES "Wishlist"("id") ON DELETE CASCADE ON UPDATE CASCADE,
            "productId" TEXT NOT NULL REFERENCES "Product"("id") ON DELETE CASCADE ON UPDATE CASCADE,
            "createdAt" TIMESTAMP(3) NOT NULL
        );

        CREATE UNIQUE INDEX "Cart_buyerId_key" ON "Cart"("buyerId");
        CREATE UNIQUE INDEX "Wishlist_buyerId_key" ON "Wishlist"("buyerId");
        CREATE INDEX "Order_buyerId_idx" ON "Order"("buyerId");
        CREATE INDEX "OrderItem_orderId_idx" ON "OrderItem"("orderId");
        """;
}
