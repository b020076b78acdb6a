package io.hare.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws line charts as SVG by hand: one or more panels stacked over a shared x axis, one line
 * per series in each panel, one colour per series across panels.
 */
final class SvgChart {

	private static final String[] COLOURS = { "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b" };

	private static final int WIDTH = 1000;

	private static final int PANEL_HEIGHT = 220;

	private static final int LEFT = 70;

	private static final int RIGHT = 330;

	private static final int TOP = 40;

	private static final int GAP = 60;

	private static final String DEPTH = "queue depth (ready)";

	private static final String CONSUMERS = "consumers";

	private final String title;

	private final String xLabel;

	private final Map<String, Panel> panels = new LinkedHashMap<>();

	private final List<String> series = new ArrayList<>();

	/**
	 * Create a chart against seconds since the start, as the auto-scaler's.
	 * @param title the title
	 */
	SvgChart(String title) {
		this(title, "seconds since start");
	}

	/**
	 * Create a chart.
	 * @param title the title
	 * @param xLabel what the x axis shows
	 */
	SvgChart(String title, String xLabel) {
		this.title = title;
		this.xLabel = xLabel;
	}

	/**
	 * Add a contender's auto-scaler samples: its queue depth in one panel, its consumers in
	 * another.
	 * @param contender the contender
	 * @param samples its samples
	 */
	void add(String contender, List<Sample> samples) {
		panel(CONSUMERS, AutoScalerScenario.MAX_CONSUMERS);
		line(DEPTH, contender, samples.stream().map((sample) -> new Point(sample.seconds(), sample.depth())).toList());
		line(CONSUMERS, contender,
				samples.stream().map((sample) -> new Point(sample.seconds(), sample.consumers())).toList());
	}

	/**
	 * Declare a panel, with the smallest maximum its y axis shows.
	 * @param label what the panel shows
	 * @param minYMax the y axis reaches at least this
	 * @return this chart
	 */
	SvgChart panel(String label, double minYMax) {
		this.panels.computeIfAbsent(label, (key) -> new Panel()).minYMax = minYMax;
		return this;
	}

	/**
	 * Add a line to a panel, the panel made if new.
	 * @param panel what the panel shows
	 * @param name the series the line belongs to
	 * @param points its points, in x order
	 * @return this chart
	 */
	SvgChart line(String panel, String name, List<Point> points) {
		this.panels.computeIfAbsent(panel, (key) -> new Panel()).lines.put(name, List.copyOf(points));
		if (!this.series.contains(name)) {
			this.series.add(name);
		}
		return this;
	}

	String render() {
		double maxX = nice(this.panels.values()
			.stream()
			.flatMap((panel) -> panel.lines.values().stream())
			.flatMap(List::stream)
			.mapToDouble(Point::x)
			.max()
			.orElse(1));
		int height = TOP + this.panels.size() * (PANEL_HEIGHT + GAP) - GAP + 50;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
						+ "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
				WIDTH, height));
		svg.append(text(LEFT, 20, escape(this.title), "font-size=\"14\" font-weight=\"bold\""));
		int index = 0;
		for (Map.Entry<String, Panel> panel : this.panels.entrySet()) {
			draw(svg, TOP + index * (PANEL_HEIGHT + GAP), panel.getKey(), panel.getValue(), maxX);
			index++;
		}
		svg.append(text(LEFT + (WIDTH - LEFT - RIGHT) / 2.0 - 40, height - 12, escape(this.xLabel), ""));
		for (int i = 0; i < this.series.size(); i++) {
			double y = TOP + 10 + 18 * i;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
					WIDTH - RIGHT + 10, y, WIDTH - RIGHT + 30, y, colour(this.series.get(i))));
			svg.append(text(WIDTH - RIGHT + 35, y + 4, escape(this.series.get(i)), ""));
		}
		return svg.append("</svg>\n").toString();
	}

	private void draw(StringBuilder svg, double top, String label, Panel panel, double maxX) {
		double maxY = nice(Math.max(panel.minYMax,
				panel.lines.values().stream().flatMap(List::stream).mapToDouble(Point::y).max().orElse(1)));
		double plotWidth = WIDTH - LEFT - RIGHT;
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, top,
				plotWidth, PANEL_HEIGHT));
		svg.append(text(LEFT, top - 6, escape(label), "font-weight=\"bold\""));
		for (int tick = 0; tick <= 4; tick++) {
			double y = top + PANEL_HEIGHT - tick * PANEL_HEIGHT / 4.0;
			svg.append(text(LEFT - 8, y + 4, label(maxY * tick / 4), "text-anchor=\"end\""));
			double x = LEFT + tick * plotWidth / 4;
			svg.append(text(x, top + PANEL_HEIGHT + 15, label(maxX * tick / 4), "text-anchor=\"middle\""));
		}
		for (Map.Entry<String, List<Point>> line : panel.lines.entrySet()) {
			StringBuilder points = new StringBuilder();
			for (Point point : line.getValue()) {
				double x = LEFT + ((maxX > 0) ? point.x() / maxX : 0) * plotWidth;
				double y = top + PANEL_HEIGHT - ((maxY > 0) ? point.y() / maxY : 0) * PANEL_HEIGHT;
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
					colour(line.getKey()), points.toString().trim()));
		}
	}

	private String colour(String series) {
		return COLOURS[this.series.indexOf(series) % COLOURS.length];
	}

	/**
	 * Round an axis maximum up to four ticks of 1, 2 or 5 times a power of ten.
	 */
	static double nice(double max) {
		if (max <= 0) {
			return 4;
		}
		double rough = max / 4;
		double power = Math.pow(10, Math.floor(Math.log10(rough)));
		for (double step : new double[] { 1, 2, 2.5, 5, 10 }) {
			if (step * power >= rough) {
				return 4 * step * power;
			}
		}
		return 40 * power;
	}

	private static String label(double value) {
		return (value == Math.rint(value)) ? String.format(Locale.ROOT, "%,.0f", value)
				: String.format(Locale.ROOT, "%.2f", value);
	}

	private static String text(double x, double y, String content, String attributes) {
		return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" %s>%s</text>%n", x, y, attributes, content);
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

	/**
	 * The lines of one panel.
	 */
	private static final class Panel {

		private final Map<String, List<Point>> lines = new LinkedHashMap<>();

		private double minYMax;

	}

	/**
	 * One point of a line.
	 *
	 * @param x where along the x axis
	 * @param y its value
	 */
	record Point(double x, double y) {
	}

	/**
	 * The state of the queue at one moment of a round.
	 *
	 * @param seconds seconds since the round started
	 * @param depth the messages ready
	 * @param consumers the consumers on the queue
	 */
	record Sample(double seconds, long depth, int consumers) {
	}

}
