package org.dpn4j.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The bounded pool alone (no model, no server): what runs, what waits, what is refused. */
class WorkerPoolTest {

  @Test
  void aFullPoolRefusesWith429AndRetryAfterThenRunsWhatItAccepted() throws Exception {
    try (WorkerPool pool = new WorkerPool(1, 2)) {
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Integer> running = pool.submit(() -> {
        started.countDown();
        release.await();
        return 1;
      });
      assertTrue(started.await(5, TimeUnit.SECONDS), "the worker took the first job");
      CompletableFuture<Integer> queued1 = pool.submit(() -> 2);
      CompletableFuture<Integer> queued2 = pool.submit(() -> 3);
      assertEquals(2, pool.queued());
      ApiError refused = assertThrows(ApiError.class, () -> pool.submit(() -> 4));
      assertEquals(429, refused.status());
      assertTrue(refused.retryAfterSeconds() >= 1, "Retry-After " + refused.retryAfterSeconds());
      assertTrue(refused.getMessage().contains("1 worker(s) computing and 2 request(s) queued"), refused.getMessage());
      release.countDown();
      assertEquals(List.of(1, 2, 3), List.of(running.get(5, TimeUnit.SECONDS), queued1.get(5, TimeUnit.SECONDS),
          queued2.get(5, TimeUnit.SECONDS)));
      assertEquals(5, pool.submit(() -> 5).get(5, TimeUnit.SECONDS), "room again once the queue drained");
    }
  }

  @Test
  void drainFinishesAcceptedWorkAndThenRefuses() throws Exception {
    WorkerPool pool = new WorkerPool(1, 1);
    CompletableFuture<String> slow = pool.submit(() -> {
      Thread.sleep(200);
      return "done";
    });
    assertTrue(pool.drain(5000), "drained in time");
    assertEquals("done", slow.getNow("not finished"));
    ApiError refused = assertThrows(ApiError.class, () -> pool.submit(() -> "late"));
    assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
    pool.close();
  }

  @Test
  void settingsAreCheckedAndDefaultsSplitTheCores() {
    assertEquals(1, ServeSettings.defaultWorkers(1));
    assertEquals(1, ServeSettings.defaultWorkers(2));
    assertEquals(8, ServeSettings.defaultWorkers(16));
    assertEquals(2, ServeSettings.threadsPerWorker(16, 8));
    assertEquals(1, ServeSettings.threadsPerWorker(2, 4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServeSettings.threadsPerWorker(2, 0));
    assertTrue(e.getMessage().contains("--workers must be at least 1"));
    assertThrows(IllegalArgumentException.class, () -> new ServeSettings(List.of(), "127.0.0.1", 0, 1, 1, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new ServeSettings(List.of(TestData.MODEL), "127.0.0.1", 70000, 1, 1, 1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new ServeSettings(List.of(TestData.MODEL), "127.0.0.1", 0, 1, -1, 1, 1));
  }
}
