package videopipe.localstack.eventbridge;

/**
 * An EventBridge API error, rendered as the JSON protocol does: HTTP 400 with {@code __type} and
 * {@code message}, which the AWS SDK turns into the matching exception class.
 */
final class EventBridgeException extends RuntimeException {

  enum Code {
    ValidationException(400),
    ResourceNotFoundException(400),
    ResourceAlreadyExistsException(400),
    UnknownOperationException(400),
    SerializationException(400),
    InternalException(500);

    final int status;

    Code(int status) {
      this.status = status;
    }
  }

  final Code code;

  EventBridgeException(Code code, String message) {
    super(message);
    this.code = code;
  }
}
