package dev.surge.http;

/** Carries a {@link Problem} through failed futures and {@code ctx.fail(...)} to the failure handler. */
public final class ProblemException extends RuntimeException {

  private final Problem problem;

  public ProblemException(Problem problem) {
    super(problem.type(), null, false, false);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
