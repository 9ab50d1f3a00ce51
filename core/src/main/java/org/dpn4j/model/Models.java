package org.dpn4j.model;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.dpn4j.util.Installation;

/**
 * Models by name or path. {@link #resolve} turns what a user wrote ({@code --model camvid},
 * {@code DpnModel.pretrained("voc")}, {@code --model runs/m3}) into a model directory or zip: an
 * existing file or folder always wins; otherwise a plain name is looked up, first found wins, in
 *
 * <ol>
 *   <li>the folder named by the system property {@value #PROPERTY} or the environment variable
 *       {@value #ENV} (a folder of model folders: {@code $DPN_MODELS/camvid/config.json});
 *   <li>{@code models/} of the dpn4j checkout the code was built in (the {@code dpn} command);
 *   <li>the class path, under {@value #RESOURCES}: the {@code org.dpn4j:dpn4j-models} jar holds
 *       the pretrained models there, so a program that depends on it needs no files of its own.
 * </ol>
 *
 * The pretrained models are {@link #PRETRAINED}: {@code camvid} (11 street classes, the default)
 * and {@code voc} (21 PASCAL VOC classes, everyday photos); their model cards say what they were
 * trained on.
 */
public final class Models {

  /** The pretrained models' names. */
  public static final List<String> PRETRAINED = List.of("camvid", "voc");

  /** The environment variable naming a folder of models, looked up by name. */
  public static final String ENV = "DPN_MODELS";

  /** The system property naming a folder of models; it wins over {@value #ENV}. */
  public static final String PROPERTY = "dpn4j.models";

  /** Where the models are on the class path (the {@code dpn4j-models} jar). */
  public static final String RESOURCES = "org/dpn4j/models/";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private Models() {}

  /**
   * The model that {@code nameOrPath} means: an existing directory or zip as it is, else the model
   * of that name (see the class comment). An error says what was looked for and where.
   */
  public static Path resolve(String nameOrPath) throws IOException {
    if (nameOrPath == null || nameOrPath.isBlank()) {
      throw new IOException("no model given: a model name (" + String.join(", ", PRETRAINED) + ") or a model directory or zip");
    }
    try {
      Path p = Path.of(nameOrPath);
      if (Files.exists(p)) {
        return p;
      }
    } catch (InvalidPathException e) {
      // Not a path on this system: perhaps a name.
    }
    if (!NAME.matcher(nameOrPath).matches() || nameOrPath.endsWith(".zip")) {
      throw new ModelFileException(nameOrPath, "no such model (a directory or a .zip)");
    }
    return find(nameOrPath).orElseThrow(() -> new ModelFileException(nameOrPath, notFound(nameOrPath)));
  }

  /** The model called {@code name} in the places of the class comment, if any. */
  public static Optional<Path> find(String name) throws IOException {
    for (Path folder : folders()) {
      Path p = folder.resolve(name);
      if (Files.isRegularFile(p.resolve(ModelFiles.CONFIG))) {
        return Optional.of(p);
      }
    }
    Optional<Path> inCheckout = Installation.file("models/" + name + "/" + ModelFiles.CONFIG);
    if (inCheckout.isPresent()) {
      return Optional.of(inCheckout.get().getParent());
    }
    return onClassPath(name);
  }

  /** The folders named by {@value #PROPERTY} and {@value #ENV}, those that are set. */
  private static List<Path> folders() {
    List<Path> folders = new ArrayList<>();
    for (String s : new String[] {System.getProperty(PROPERTY), System.getenv(ENV)}) {
      if (s != null && !s.isBlank()) {
        folders.add(Path.of(s));
      }
    }
    return folders;
  }

  /**
   * The model folder {@value #RESOURCES}{@code name} on the class path, as a path of its jar's file
   * system (kept open: the model is read from it, in place) or of a classes folder.
   */
  private static Optional<Path> onClassPath(String name) throws IOException {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    URL url = (loader != null ? loader : Models.class.getClassLoader()).getResource(RESOURCES + name + "/" + ModelFiles.CONFIG);
    if (url == null) {
      url = Models.class.getClassLoader().getResource(RESOURCES + name + "/" + ModelFiles.CONFIG);
    }
    if (url == null) {
      return Optional.empty();
    }
    try {
      URI uri = url.toURI();
      if ("jar".equals(uri.getScheme())) {
        return Optional.of(jarFileSystem(uri).provider().getPath(uri).getParent());
      }
      return Optional.of(Path.of(uri).getParent());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("cannot read the model " + name + " from the class path (" + url + "): " + e.getMessage(), e);
    }
  }

  private static synchronized FileSystem jarFileSystem(URI uri) throws IOException {
    try {
      return FileSystems.newFileSystem(uri, Map.of());
    } catch (FileSystemAlreadyExistsException e) {
      return FileSystems.getFileSystem(uri);
    }
  }

  private static String notFound(String name) {
    StringBuilder s = new StringBuilder("no such model: not a file or folder here, and no model of that name in ");
    List<Path> folders = folders();
    for (Path f : folders) {
      s.append(f).append(", ");
    }
    if (folders.isEmpty()) {
      s.append("$" + ENV + " (not set), ");
    }
    s.append("a dpn4j checkout's models/ or the class path (the org.dpn4j:dpn4j-models jar)");
    if (!PRETRAINED.contains(name)) {
      s.append("; the pretrained models are ").append(String.join(", ", PRETRAINED));
    }
    return s.toString();
  }
}
