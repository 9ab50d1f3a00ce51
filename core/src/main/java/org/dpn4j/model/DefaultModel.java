package org.dpn4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpn4j.util.Installation;

/**
 * The model that every command taking {@code --model} ({@code segment}, {@code refine}, {@code eval},
 * {@code segment-video}, {@code demo}, {@code train-video}, {@code plot compatibility}) uses when none
 * is given: the environment variable {@value #ENV} when set,
 * else the CamVid DPN that ships in the repository, {@code models/}{@value #NAME} (its model card
 * is there).
 */
public final class DefaultModel {

  /** The shipped model's folder name under {@code models/}. */
  public static final String NAME = "camvid";

  /** The environment variable that names another default model (a directory or zip). */
  public static final String ENV = "DPN_MODEL";

  private DefaultModel() {}

  /** The default model's path; an error says how to give one when there is none. */
  public static Path path() throws IOException {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      if (!Files.exists(p)) {
        throw new IOException(ENV + "=" + env + ": no such model (a model directory or zip)");
      }
      return p;
    }
    return Installation.file("models/" + NAME)
        .orElseThrow(() -> new IOException("no default model: models/" + NAME
            + " is not beside this build of dpn4j; give --model M (a model directory or zip) or set " + ENV));
  }

  /** {@code given} when not null, else {@link #path()}. */
  public static Path or(Path given) throws IOException {
    return given != null ? given : path();
  }
}
