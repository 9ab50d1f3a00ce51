package org.dpn4j.eval;

/**
 * A bounding box of pixels, inclusive on every side: columns x0..x1, rows y0..y1, so a single
 * pixel is a box of area 1 (the convention of LA's bIoU, DESIGN.md section 4).
 */
record Box(int x0, int y0, int x1, int y1) {

  int width() {
    return x1 - x0 + 1;
  }

  int height() {
    return y1 - y0 + 1;
  }

  long area() {
    return (long) width() * height();
  }

  /** The smallest box holding both. */
  Box union(Box o) {
    return new Box(
        Math.min(x0, o.x0), Math.min(y0, o.y0), Math.max(x1, o.x1), Math.max(y1, o.y1));
  }

  /** bIoU: |A and B| / |A or B| of the two boxes as pixel sets. */
  double iou(Box o) {
    long w = Math.min(x1, o.x1) - Math.max(x0, o.x0) + 1;
    long h = Math.min(y1, o.y1) - Math.max(y0, o.y0) + 1;
    long intersection = w > 0 && h > 0 ? w * h : 0;
    return (double) intersection / (area() + o.area() - intersection);
  }
}
