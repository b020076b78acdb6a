package io.hare.benchmarks;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Draws the auto-scaler run as SVG by hand: queue depth above, consumers below, one line per
 * contender, against seconds since the round started.
 */
final class SvgChart {

	private static final String[] COLOURS = { "#d62728", "#1f77b4", "#2ca02c", "#9467bd" };

	private static final int WIDTH = 1000;

	private static final int PANEL_HEIGHT = 220;

	private static final int LEFT = 70;

	private static final int RIGHT = 330;

	private static final int TOP = 40;

	private static final int GAP = 60;

	private final String title;

	private final Map<String, List<Sample>> series = new LinkedHashMap<>();

	SvgChart(String title) {
		this.title = title;
	}

	void add(String contender, List<Sample> samples) {
		this.series.put(contender, List.copyOf(samples));
	}

	String render() {
		double maxSeconds = nice(max((sample) -> sample.seconds()));
		double maxDepth = nice(max((sample) -> sample.depth()));
		double maxConsumers = nice(Math.max(AutoScalerScenario.MAX_CONSUMERS, max((sample) -> sample.consumers())));
		int height = TOP + 2 * PANEL_HEIGHT + GAP + 50;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" "
						+ "font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n",
				WIDTH, height));
		svg.append(text(LEFT, 20, escape(this.title), "font-size=\"14\" font-weight=\"bold\""));
		panel(svg, TOP, "queue depth (ready)", maxSeconds, maxDepth, (sample) -> sample.depth());
		panel(svg, TOP + PANEL_HEIGHT + GAP, "consumers", maxSeconds, maxConsumers, (sample) -> sample.consumers());
		svg.append(text(LEFT + (WIDTH - LEFT - RIGHT) / 2.0 - 40, height - 12, "seconds since start", ""));
		int i = 0;
		for (String contender : this.series.keySet()) {
			double y = TOP + 10 + 18 * i;
			svg.append(String.format(Locale.ROOT,
					"<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"/>%n",
					WIDTH - RIGHT + 10, y, WIDTH - RIGHT + 30, y, COLOURS[i % COLOURS.length]));
			svg.append(text(WIDTH - RIGHT + 35, y + 4, escape(contender), ""));
			i++;
		}
		return svg.append("</svg>\n").toString();
	}

	private void panel(StringBuilder svg, double top, String label, double maxX, double maxY,
			ToDoubleFunction<Sample> value) {
		double plotWidth = WIDTH - LEFT - RIGHT;
		svg.append(String.format(Locale.ROOT,
				"<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, top,
				plotWidth, PANEL_HEIGHT));
		svg.append(text(LEFT, top - 6, label, "font-weight=\"bold\""));
		for (int tick = 0; tick <= 4; tick++) {
			double y = top + PANEL_HEIGHT - tick * PANEL_HEIGHT / 4.0;
			svg.append(text(LEFT - 8, y + 4, label(maxY * tick / 4), "text-anchor=\"end\""));
			double x = LEFT + tick * plotWidth / 4;
			svg.append(text(x, top + PANEL_HEIGHT + 15, label(maxX * tick / 4),
					"text-anchor=\"middle\""));
		}
		int i = 0;
		for (List<Sample> samples : this.series.values()) {
			StringBuilder points = new StringBuilder();
			for (Sample sample : samples) {
				double x = LEFT + ((maxX > 0) ? sample.seconds() / maxX : 0) * plotWidth;
				double y = top + PANEL_HEIGHT - ((maxY > 0) ? value.applyAsDouble(sample) / maxY : 0) * PANEL_HEIGHT;
				points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
			}
			svg.append(String.format(Locale.ROOT,
					"<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
					COLOURS[i % COLOURS.length], points.toString().trim()));
			i++;
		}
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

	private double max(ToDoubleFunction<Sample> value) {
		return this.series.values().stream().flatMap(List::stream).mapToDouble(value).max().orElse(1);
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
	 * The state of the queue at one moment of a round.
	 *
	 * @param seconds seconds since the round started
	 * @param depth the messages ready
	 * @param consumers the consumers on the queue
	 */
	record Sample(double seconds, long depth, int consumers) {
	}

}
