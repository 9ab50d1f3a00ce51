package org.dpn4j.testing;

import org.dpn4j.util.Parallel;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For tests that change {@link Parallel}'s thread count ({@code @ExtendWith(RestoresThreads.class)}):
 * gives back the count a test started with when it ends, so that no later test runs on it.
 */
public final class RestoresThreads implements BeforeEachCallback, AfterEachCallback {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(RestoresThreads.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("threads", Parallel.threads());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Parallel.setThreads(context.getStore(NS).get("threads", Integer.class));
  }
}
