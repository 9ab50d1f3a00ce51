package org.dpn4j.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model that every command taking {@code --model} ({@code segment}, {@code refine}, {@code eval},
 * {@code segment-video}, {@code demo}, {@code train-video}, {@code plot compatibility}) uses when none
 * is given: the environment variable {@value #ENV} when set (a name or a path), else the pretrained
 * CamVid DPN, {@value #NAME}, found as {@link Models} says.
 */
public final class DefaultModel {

  /** The default model's name. */
  public static final String NAME = "camvid";

  /** The environment variable that names another default model (a model name, directory or zip). */
  public static final String ENV = "DPN_MODEL";

  private DefaultModel() {}

  /** The default model's path; the error says where it was looked for when there is none. */
  public static Path path() throws IOException {
    String env = System.getenv(ENV);
    if (env != null && !env.isBlank()) {
      if (!Files.exists(Path.of(env)) && !Models.find(env).isPresent()) {
        throw new IOException(ENV + "=" + env + ": no such model (a model name, directory or zip)");
      }
      return Models.resolve(env);
    }
    return Models.resolve(NAME);
  }
}
