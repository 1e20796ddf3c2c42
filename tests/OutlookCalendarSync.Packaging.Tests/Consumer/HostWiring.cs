using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Consumer;

// What a web host writes with the packages: options bound from appsettings.json, the SQLite stores, Graph, the endpoints.
public static class HostWiring
{
    public static IServiceCollection AddCalendarSyncFromConfiguration(this IServiceCollection services, IConfiguration configuration) =>
        services.AddOutlookCalendarSync(configuration.GetSection("OutlookCalendarSync"))
            .UseSqliteStores(configuration.GetSection("OutlookCalendarSync:Sqlite"))
            .UseMicrosoftGraph(configuration.GetSection("OutlookCalendarSync:Graph"))
            .UseMicrosoftAccount(configuration.GetSection("OutlookCalendarSync:MicrosoftAccount"))
            .Services;

    public static IServiceCollection AddCalendarSyncOnHangfire(this IServiceCollection services, IConfiguration configuration) =>
        services.AddOutlookCalendarSync(configuration.GetSection("OutlookCalendarSync"))
            .UsePostgreSqlStores(configuration.GetSection("OutlookCalendarSync:PostgreSql"))
            .UseMicrosoftGraph(configuration.GetSection("OutlookCalendarSync:Graph"))
            .AddHangfireScheduling(o => o.DispatchCron = "*/30 * * * * *")
            .Services;

    public static RouteGroupBuilder MapCalendarSync(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapOutlookCalendarSync(o => o.ReturnPath = "/settings/calendar");
}
