package dev.lanes.training.data;

/**
 * The images of an IDX file (magic 2051): {@code count} grey images of {@code rows x cols}
 * unsigned bytes, image after image, row after row.
 *
 * @param count number of images
 * @param rows height of an image
 * @param cols width of an image
 * @param pixels {@code count * rows * cols} bytes, read as unsigned (0 black to 255 white)
 */
public record IdxImages(int count, int rows, int cols, byte[] pixels) {
    /** Checks that the pixels are as many as the shape says. */
    public IdxImages {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols
                    + " need " + (long) count * rows * cols + " bytes, got " + pixels.length);
        }
    }
}
