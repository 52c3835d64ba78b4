using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Snippets;

/// <summary>docs/merchants-and-instances.md, "Several instances: AlipayHk.Pay.StackExchangeRedis": the block's text verbatim (hence not indented).</summary>
internal static class SeveralInstances
{
    internal static void Register(WebApplicationBuilder builder)
    {
// docs/merchants-and-instances.md block 1
builder.Services.AddAlipayHkPayMerchants(builder.Configuration);
builder.Services.AddAlipayHkPayRedis(options =>
{
    options.Configuration = builder.Configuration.GetConnectionString("Redis"); // or register an IConnectionMultiplexer
    options.KeyPrefix = "shop:alipayhkpay:";
});
    }
}
