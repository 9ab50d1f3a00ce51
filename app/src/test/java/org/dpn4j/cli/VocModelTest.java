package org.dpn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.dpn4j.data.LabelSet;
import org.dpn4j.testing.Integration;
import org.dpn4j.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance of the shipped {@code models/voc} (DeepLabV3 MobileNetV2 imported from TFLite, the head
 * at its initial values) through {@code dpn segment}: the Coral test's bird mask and the VOC samples.
 */
@Integration
class VocModelTest {

  private static final Path MODEL = Path.of("models/voc");
  private static final int BIRD = LabelSet.VOC.names().indexOf("bird");

  @TempDir Path dir;

  @Test
  void theBirdMatchesTheReferenceRuntimesLabelsWithAndWithoutTheHead() throws IOException {
    Path bird = SharedData.path("pretrained/imagenet-samples/bird_segmentation.bmp");
    Raster mask = ImageIO.read(SharedData.path("pretrained/imagenet-samples/bird_segmentation_mask.bmp").toFile()).getRaster();
    for (boolean head : new boolean[] {true, false}) {
      Raster labels = segment(head, List.of(bird)).get(0);
      double iou = iou(labels, mask, BIRD);
      assertTrue(iou > 0.9, "bird IoU " + iou + (head ? " with the head" : " without it"));
    }
  }

  @Test
  void theLargestObjectOfEachSampleIsTheRightClass() throws IOException {
    List<Path> photos = new ArrayList<>();
    for (String id : List.of("2007_000129", "2011_000003", "2011_000006", "2011_000025")) {
      photos.add(SharedData.path("voc/JPEGImages/" + id + ".jpg"));
    }
    photos.add(SharedData.path("pretrained/imagenet-samples/cat.bmp"));
    List<Raster> labels = segment(true, photos);
    List<Set<String>> expected = List.of(Set.of("person"), Set.of("person"), Set.of("chair", "person"), Set.of("bus"),
        Set.of("cat"));
    for (int i = 0; i < photos.size(); i++) {
      String largest = LabelSet.VOC.names().get(largestObject(labels.get(i)));
      assertTrue(expected.get(i).contains(largest), photos.get(i) + ": largest class " + largest);
    }
  }

  /** Label maps of {@code photos} from one {@code dpn segment --model models/voc} run. */
  private List<Raster> segment(boolean head, List<Path> photos) throws IOException {
    Path out = dir.resolve(head ? "dpn" : "unary");
    List<String> args = new ArrayList<>(List.of("--model", MODEL.toString(), "--out", out.toString()));
    if (!head) {
      args.add("--no-head");
    }
    photos.forEach(p -> args.add(p.toString()));
    CommandRun run = CommandRun.of(new SegmentCommand(), args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.toString());
    assertTrue(run.err().contains("classes (21): background, aeroplane"), run.err());
    List<Raster> labels = new ArrayList<>();
    for (Path p : photos) {
      String name = p.getFileName().toString().replaceFirst("\\.[a-z]+$", "");
      BufferedImage img = ImageIO.read(out.resolve(name + ".png").toFile());
      labels.add(img.getRaster());
    }
    return labels;
  }

  private static double iou(Raster a, Raster b, int label) {
    long inter = 0;
    long union = 0;
    for (int y = 0; y < a.getHeight(); y++) {
      for (int x = 0; x < a.getWidth(); x++) {
        boolean p = a.getSample(x, y, 0) == label;
        boolean q = b.getSample(x, y, 0) == label;
        inter += p && q ? 1 : 0;
        union += p || q ? 1 : 0;
      }
    }
    return (double) inter / union;
  }

  /** The non-background label with the most pixels. */
  private static int largestObject(Raster labels) {
    int[] count = new int[LabelSet.VOC.size()];
    for (int y = 0; y < labels.getHeight(); y++) {
      for (int x = 0; x < labels.getWidth(); x++) {
        count[labels.getSample(x, y, 0)]++;
      }
    }
    int best = 1;
    for (int l = 2; l < count.length; l++) {
      best = count[l] > count[best] ? l : best;
    }
    return best;
  }
}
