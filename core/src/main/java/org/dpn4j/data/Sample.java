package org.dpn4j.data;

import java.nio.file.Path;

/** One labelled example of a split: its photo, its label PNG and a name for reports and output files. */
public record Sample(Path image, Path label, String name) {}
