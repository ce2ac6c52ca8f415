package videopipe.localstack.eventbridge;

import videopipe.localstack.JsonProtocol;

/**
 * An EventBridge API error, rendered as the JSON protocol does: HTTP 400 with {@code __type} and
 * {@code message}, which the AWS SDK turns into the matching exception class.
 */
final class EventBridgeException extends RuntimeException implements JsonProtocol.Refusal {

  enum Code implements JsonProtocol.Code {
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

    @Override
    public int status() {
      return status;
    }
  }

  final Code code;

  EventBridgeException(Code code, String message) {
    super(message);
    this.code = code;
  }

  @Override
  public Code code() {
    return code;
  }
}
