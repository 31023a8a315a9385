package dev.mtlj.reproduce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line and scatter charts written as PNG and SVG (XChart), headless. */
final class Charts {
    private Charts() {}

    /** One line per series: name → {x, y}. */
    static void lines(Path base, String title, String x, String y, Map<String, double[][]> series, boolean logY)
            throws IOException {
        XYChart c = chart(title, x, y);
        c.getStyler().setYAxisLogarithmic(logY);
        series.forEach((name, xy) -> c.addSeries(name, xy[0], xy[1]).setMarker(SeriesMarkers.NONE));
        save(c, base);
    }

    /** One labelled point per series: name → {x, y}. */
    static void points(Path base, String title, String x, String y, Map<String, double[]> points) throws IOException {
        XYChart c = chart(title, x, y);
        c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        c.getStyler().setMarkerSize(10);
        points.forEach((name, p) -> c.addSeries(name, new double[] {p[0]}, new double[] {p[1]}));
        save(c, base);
    }

    private static XYChart chart(String title, String x, String y) {
        System.setProperty("java.awt.headless", "true");
        XYChart c = new XYChartBuilder()
                .width(800)
                .height(500)
                .title(title)
                .xAxisTitle(x)
                .yAxisTitle(y)
                .build();
        c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
        return c;
    }

    private static void save(XYChart c, Path base) throws IOException {
        BitmapEncoder.saveBitmap(c, base.toString(), BitmapEncoder.BitmapFormat.PNG);
        VectorGraphicsEncoder.saveVectorGraphic(c, base.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    }
}
