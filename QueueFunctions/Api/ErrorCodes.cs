namespace QueueFunctions.Api;

/// <summary>The machine codes of API.md; clients switch on these, so they never change.</summary>
public static class ErrorCodes
{
    public const string InvalidJson = "INVALID_JSON";
    public const string MissingField = "MISSING_FIELD";
    public const string InvalidClinic = "INVALID_CLINIC";
    public const string InvalidUser = "INVALID_USER";
    public const string InvalidPinFormat = "INVALID_PIN_FORMAT";
    public const string BodyTooLarge = "BODY_TOO_LARGE";
    public const string UnknownClinic = "UNKNOWN_CLINIC";
    public const string NotInQueue = "NOT_IN_QUEUE";
    public const string QueueEmpty = "QUEUE_EMPTY";
    public const string InvalidPin = "INVALID_PIN";
    public const string PinLocked = "PIN_LOCKED";
    public const string BackendUnavailable = "BACKEND_UNAVAILABLE";
    public const string Timeout = "TIMEOUT";
    public const string InternalError = "INTERNAL_ERROR";
    public const string InvalidDate = "INVALID_DATE";
    public const string InvalidRange = "INVALID_RANGE";
    public const string InvalidFormat = "INVALID_FORMAT";
    public const string InvalidExam = "INVALID_EXAM";
    public const string InvalidGender = "INVALID_GENDER";
    public const string VisitExists = "VISIT_EXISTS";
    public const string VisitInProgress = "VISIT_IN_PROGRESS";
    public const string NoVisit = "NO_VISIT";
    public const string RateLimited = "RATE_LIMITED";
    public const string RequestTimeout = "REQUEST_TIMEOUT";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string QueueFull = "QUEUE_FULL";
    public const string NotCurrent = "NOT_CURRENT";
    public const string InvalidNumber = "INVALID_NUMBER";
    public const string IdempotencyKeyReused = "IDEMPOTENCY_KEY_REUSED";
    public const string InvalidIdempotencyKey = "INVALID_IDEMPOTENCY_KEY";
    public const string InvalidSubscription = "INVALID_SUBSCRIPTION";
    public const string InvalidLanguage = "INVALID_LANGUAGE";
    public const string PushNotConfigured = "PUSH_NOT_CONFIGURED";
}
