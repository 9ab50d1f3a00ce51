package org.dpn4j.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a slow integration test: a whole command, a training run, real data or a server. The README's
 * test command runs everything; {@code mvn -o test -DexcludedGroups=integration} runs only the fast unit
 * tests.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(Integration.TAG)
public @interface Integration {
  /** The JUnit tag. */
  String TAG = "integration";
}
