package dev.surge.arbiter;

import dev.surge.arbiter.RunQueue.Sample;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The watchdog's verdict over one interval of a loop's scheduler figures (Linux's schedstat, its voluntary switches
 * and its state): starved, when it was runnable but queued most of the time and little on a processor; stuck
 * otherwise. Figures in milliseconds over a second, as the kernel keeps them: a wait is added to the total only as
 * the thread next runs.
 */
class AStarvedLoopIsToldFromABusyOrSleepingOneTest {

  private static final long MS = 1_000_000;
  private static final Sample FIRST = sample(0, 100, 50, 5, true);

  private static Sample sample(long atMs, long onCpuMs, long waitingMs, long timesAsleep, boolean runnable) {
    return new Sample(atMs * MS, onCpuMs * MS, waitingMs * MS, timesAsleep, runnable, 0);
  }

  @Test
  void queuedTheWholeSecondWithoutRunningOnceIsStarved() {
    Sample now = sample(1000, 100, 50, 5, true).after(FIRST); // nothing moved: the kernel has not added the wait
    assertThat(now.starvedSince(FIRST)).isTrue();
  }

  @Test
  void givenASliceNowAndThenAndQueuedTheRestIsStarved() {
    assertThat(sample(1000, 110, 900, 5, true).after(FIRST).starvedSince(FIRST)).isTrue();
    // A slice early in the second, queued since: the kernel has added little yet.
    assertThat(sample(1000, 104, 60, 5, true).after(FIRST).starvedSince(FIRST)).isTrue();
  }

  @Test
  void asleepInACallIsStuck() {
    assertThat(sample(1000, 100, 50, 5, false).after(FIRST).starvedSince(FIRST)).isFalse();
    assertThat(sample(1000, 101, 52, 395, false).after(FIRST).starvedSince(FIRST)).as("asleep again and again")
      .isFalse();
  }

  @Test
  void wokenAndQueuedAtTheMomentItWasReadAfterSleepingIsStuck() {
    // It slept in calls during the second (a poll, a slow read) and is runnable as it is read: its waits are the
    // kernel's, and were short.
    assertThat(sample(1000, 101, 52, 9, true).after(FIRST).starvedSince(FIRST)).isFalse();
  }

  @Test
  void wokenFromACallThatBeganBeforeTheLastReadAndNotRunYetIsStuck() {
    Sample asleep = sample(0, 100, 50, 5, false);
    assertThat(sample(1000, 100, 50, 5, true).after(asleep).starvedSince(asleep)).isFalse();
  }

  @Test
  void spinningOnAProcessorItSharesIsStuck() {
    // Every loop spinning, or a container's quota of half a processor: half the time waiting, half running.
    assertThat(sample(1000, 600, 550, 5, true).after(FIRST).starvedSince(FIRST)).isFalse();
    assertThat(sample(1000, 1090, 60, 5, true).after(FIRST).starvedSince(FIRST)).as("alone on one").isFalse();
  }

  @Test
  void aWaitCountedWhileQueuedIsNotCountedAgainWhenTheKernelAddsIt() {
    Sample queued = sample(1000, 100, 50, 5, true).after(FIRST); // a second queued, counted as pending
    // Then it got a processor, slept in a call at once, and is still asleep: the kernel adds the queued second now.
    Sample asleep = sample(2000, 101, 1050, 6, false).after(queued);
    assertThat(asleep.waitingShareSince(queued)).isLessThan(0.1);
    assertThat(asleep.starvedSince(queued)).isFalse();
  }
}
