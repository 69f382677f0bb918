package dev.lanes.cli;

import dev.lanes.training.Trainer;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * curves.png of {@code lanes train}: the training loss (left axis) and the test accuracy (right
 * axis) per epoch, one chart, drawn with JFreeChart.
 */
final class TrainingCurves {
    static final int WIDTH = 900;
    static final int HEIGHT = 500;

    private TrainingCurves() {
    }

    /** Draws the curves of {@code epochs} for a run called {@code title} into {@code file}. */
    static void write(Path file, String title, List<Trainer.EpochMetrics> epochs) {
        // No display here, and none needed to draw into an image.
        System.setProperty("java.awt.headless", "true");
        XYSeries loss = new XYSeries("training loss");
        XYSeries accuracy = new XYSeries("test accuracy");
        for (Trainer.EpochMetrics m : epochs) {
            loss.add(m.epoch(), m.trainLoss());
            accuracy.add(m.epoch(), m.testAccuracy());
        }
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setAutoRangeIncludesZero(false);
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        NumberAxis lossAxis = new NumberAxis("training loss");
        lossAxis.setAutoRangeIncludesZero(false);
        NumberAxis accuracyAxis = new NumberAxis("test accuracy");
        accuracyAxis.setAutoRangeIncludesZero(false);

        XYPlot plot = new XYPlot(new XYSeriesCollection(loss), epochAxis, lossAxis, renderer(new Color(0xC0392B)));
        plot.setRangeAxis(1, accuracyAxis);
        plot.setDataset(1, new XYSeriesCollection(accuracy));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, renderer(new Color(0x2471A3)));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);

        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot write " + file + ": " + e.getMessage(), e));
        }
    }

    private static XYLineAndShapeRenderer renderer(Color color) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, color);
        r.setSeriesStroke(0, new BasicStroke(2f));
        return r;
    }
}
