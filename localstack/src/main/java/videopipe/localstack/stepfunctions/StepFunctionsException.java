package videopipe.localstack.stepfunctions;

import videopipe.localstack.JsonProtocol;

/**
 * A Step Functions API error, rendered as the JSON 1.0 protocol does: the HTTP status and
 * {@code {"__type": code, "message": …}}, which the AWS SDKs and the AWS CLI turn into the
 * service's named exception ({@code ExecutionDoesNotExistException}, …). The codes are the API
 * reference's, spelled as the service sends them (without the {@code Exception} suffix the SDK adds).
 */
final class StepFunctionsException extends RuntimeException implements JsonProtocol.Refusal {

  enum Code implements JsonProtocol.Code {
    ExecutionAlreadyExists(400),
    ExecutionDoesNotExist(400),
    ExecutionNotRedrivable(400),
    InvalidArn(400),
    InvalidDefinition(400),
    InvalidExecutionInput(400),
    InvalidName(400),
    InvalidOutput(400),
    InvalidToken(400),
    MissingRequiredParameter(400),
    StateMachineAlreadyExists(400),
    StateMachineDoesNotExist(400),
    StateMachineTypeNotSupported(400),
    TaskDoesNotExist(400),
    TaskTimedOut(400),
    ValidationException(400),
    /** The protocol's own: no such {@code X-Amz-Target}. */
    UnknownOperationException(400),
    /** The protocol's own: the body is not a JSON object. */
    SerializationException(400),
    InternalFailure(500);

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

  StepFunctionsException(Code code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  @Override
  public Code code() {
    return code;
  }
}
