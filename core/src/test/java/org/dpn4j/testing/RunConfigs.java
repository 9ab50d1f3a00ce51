package org.dpn4j.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Training run files (JSON) that tests build as trees, then write for the code under test to read. */
public final class RunConfigs {

  /** The mapper that parses skeletons and builds nodes. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private RunConfigs() {}

  /** The object of JSON text {@code json} (a test's skeleton, to be changed before it is written). */
  public static ObjectNode parse(String json) throws IOException {
    return (ObjectNode) JSON.readTree(json);
  }

  /** Writes {@code config} to {@code dir/cfg.json}, replacing an earlier one, and returns that file. */
  public static Path write(Path dir, ObjectNode config) throws IOException {
    Path f = dir.resolve("cfg.json");
    Files.writeString(f, config.toPrettyString());
    return f;
  }
}
