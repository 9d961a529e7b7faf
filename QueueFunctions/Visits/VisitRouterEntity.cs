using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace QueueFunctions.Visits;

/// <summary>One service day's routing decisions, made one at a time so that concurrent visits see each other.</summary>
public sealed class VisitRouterEntity : TaskEntity<RouteBook>
{
    public const string Name = "VisitRouter";

    public static class Operations
    {
        public const string Route = nameof(VisitRouterEntity.Route);
        public const string Arrived = nameof(VisitRouterEntity.Arrived);
    }

    public string Route(RouteRequest request)
    {
        var (book, clinic) = State.Route(request);
        State = book;
        return clinic;
    }

    public void Arrived(RouteArrival arrival) => State = State.Arrived(arrival);

    protected override RouteBook InitializeState(TaskEntityOperation entityOperation) => RouteBook.Empty;

    [Function(Name)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher) =>
        dispatcher.DispatchAsync<VisitRouterEntity>();
}
