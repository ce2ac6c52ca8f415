package videopipe.localstack.mediaconvert;

/**
 * A MediaConvert API error, rendered as its REST JSON protocol does: the HTTP status, the error
 * shape's name in {@code x-amzn-ErrorType} and {@code {"message": ...}} as the body, from which the
 * AWS SDK builds the matching exception class. The codes are the error shapes of the service model
 * (every MediaConvert operation declares the same six).
 */
final class MediaConvertException extends RuntimeException {

  enum Code {
    BadRequestException(400),
    ForbiddenException(403),
    NotFoundException(404),
    ConflictException(409),
    TooManyRequestsException(429),
    InternalServerErrorException(500);

    final int status;

    Code(int status) {
      this.status = status;
    }
  }

  final Code code;

  MediaConvertException(Code code, String message) {
    super(message);
    this.code = code;
  }
}
