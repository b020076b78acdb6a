package io.hare.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.rabbitmq.RabbitMQContainer;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

/**
 * The RabbitMQ broker the integration tests run against: the one {@code RABBITMQ_URL} or
 * {@code spring.rabbitmq.*} names, else the local one on port 5672, else a Testcontainers one
 * when Docker is there. Without any of them the tests fail with a message saying so; they
 * never skip. Faults are injected with the {@code rabbitmqctl} of that broker only: the
 * container's own, or the local one for the local node; for any other broker {@link #ctl}
 * fails saying why.
 */
public final class RabbitBroker {

	private static RabbitBroker instance;

	private final String host;

	private final int port;

	private final String username;

	private final String password;

	private final String virtualHost;

	private final RabbitMQContainer container;

	private final String origin;

	private RabbitBroker(String host, int port, String username, String password, String virtualHost,
			RabbitMQContainer container, String origin) {
		this.host = host;
		this.port = port;
		this.username = username;
		this.password = password;
		this.virtualHost = virtualHost;
		this.container = container;
		this.origin = origin;
	}

	/**
	 * Return the broker, finding it on first use.
	 * @return the broker
	 */
	public static synchronized RabbitBroker get() {
		if (instance == null) {
			instance = find();
		}
		return instance;
	}

	private static RabbitBroker find() {
		String url = setting("RABBITMQ_URL", "rabbitmq.url");
		if (url != null) {
			return fromUrl(url);
		}
		String configuredHost = setting("SPRING_RABBITMQ_HOST", "spring.rabbitmq.host");
		String host = orDefault(configuredHost, "127.0.0.1");
		int port = Integer.parseInt(orDefault(setting("SPRING_RABBITMQ_PORT", "spring.rabbitmq.port"), "5672"));
		String username = orDefault(setting("SPRING_RABBITMQ_USERNAME", "spring.rabbitmq.username"), "guest");
		String password = orDefault(setting("SPRING_RABBITMQ_PASSWORD", "spring.rabbitmq.password"), "guest");
		if (reachable(host, port) || (isLocal(host) && startLocalBroker())) {
			return new RabbitBroker(host, port, username, password, "/", null,
					(configuredHost != null) ? "named by spring.rabbitmq.*" : "the default");
		}
		if (dockerAvailable()) {
			RabbitMQContainer container = new RabbitMQContainer("rabbitmq:3.13-management");
			container.start();
			return new RabbitBroker(container.getHost(), container.getAmqpPort(), container.getAdminUsername(),
					container.getAdminPassword(), "/", container, "a Testcontainers container");
		}
		throw new IllegalStateException("No RabbitMQ broker for the integration tests: nothing listens on " + host
				+ ":" + port + ", RABBITMQ_URL is not set and Docker is not available. Start the local broker "
				+ "(rabbitmq-server -detached) or run 'bash .ci/run', which does.");
	}

	/**
	 * Return the broker an AMQP URL names, such as {@code RABBITMQ_URL}, without connecting.
	 * @param url the URL
	 * @return the broker
	 */
	static RabbitBroker fromUrl(String url) {
		URI uri = URI.create(url);
		String[] userInfo = (uri.getUserInfo() != null) ? uri.getUserInfo().split(":", 2)
				: new String[] { "guest", "guest" };
		String path = (uri.getPath() == null || uri.getPath().length() <= 1) ? "/" : uri.getPath().substring(1);
		return new RabbitBroker(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 5672, userInfo[0],
				(userInfo.length > 1) ? userInfo[1] : "", path, null, "named by RABBITMQ_URL");
	}

	/**
	 * Decide where {@code rabbitmqctl} may run for a broker.
	 * @param host the broker's host
	 * @param port the broker's AMQP port
	 * @param container whether the broker is a Testcontainers container
	 * @return where the tool runs
	 */
	static CtlTarget ctlTarget(String host, int port, boolean container) {
		if (container) {
			return CtlTarget.CONTAINER;
		}
		// The local tool controls the local node, which is the broker only on a loopback
		// address and the port a node listens on by default: another port on this machine
		// may well be a container's, and the fault would hit the wrong broker.
		return (isLocal(host) && (port == 5672 || port == 5671)) ? CtlTarget.LOCAL_NODE : CtlTarget.NONE;
	}

	private static boolean isLocal(String host) {
		return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.equals("[::1]");
	}

	/**
	 * Start the local broker the way {@code scripts/ensure-rabbitmq.sh} does, when it is
	 * installed and down, so that the test command alone works on a fresh machine.
	 */
	private static boolean startLocalBroker() {
		try {
			Process process = new ProcessBuilder("bash", "-c",
					"command -v rabbitmq-server >/dev/null && { rabbitmqctl -q status >/dev/null 2>&1 || "
							+ "rabbitmq-server -detached; } && rabbitmqctl -q await_startup --timeout 120")
				.inheritIO()
				.start();
			return process.waitFor(150, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	private static boolean reachable(String host, int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(host, port), 2000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String setting(String environmentVariable, String systemProperty) {
		String value = System.getProperty(systemProperty);
		return (value != null) ? value : System.getenv(environmentVariable);
	}

	private static String orDefault(String value, String fallback) {
		return (value != null && !value.isEmpty()) ? value : fallback;
	}

	public String host() {
		return this.host;
	}

	public int port() {
		return this.port;
	}

	public String username() {
		return this.username;
	}

	public String password() {
		return this.password;
	}

	public String virtualHost() {
		return this.virtualHost;
	}

	/**
	 * Return the {@code spring.rabbitmq.*} properties that point Spring Boot at this broker.
	 * @return the properties as {@code key=value}
	 */
	public String[] springProperties() {
		return new String[] { "spring.rabbitmq.host=" + this.host, "spring.rabbitmq.port=" + this.port,
				"spring.rabbitmq.username=" + this.username, "spring.rabbitmq.password=" + this.password,
				"spring.rabbitmq.virtual-host=" + this.virtualHost };
	}

	/**
	 * Create a connection factory for a test's own use (publishing, inspecting).
	 * @return a new connection factory, to be destroyed by the caller
	 */
	public CachingConnectionFactory connectionFactory() {
		CachingConnectionFactory connectionFactory = new CachingConnectionFactory(this.host, this.port);
		connectionFactory.setUsername(this.username);
		connectionFactory.setPassword(this.password);
		connectionFactory.setVirtualHost(this.virtualHost);
		connectionFactory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
		return connectionFactory;
	}

	/**
	 * Return where {@link #ctl} runs {@code rabbitmqctl} for this broker.
	 * @return the target
	 */
	CtlTarget ctlTarget() {
		return ctlTarget(this.host, this.port, this.container != null);
	}

	/**
	 * Run the broker's operations tool, {@code rabbitmqctl}, to inspect the broker or inject a
	 * fault: inside the container for a Testcontainers broker, on this machine for the local
	 * node.
	 * @param arguments the arguments, such as {@code close_all_connections reason}
	 * @return what the tool printed
	 * @throws IllegalStateException for any other broker, which no tool here can reach
	 */
	public String ctl(String... arguments) {
		if (ctlTarget() == CtlTarget.NONE) {
			throw new IllegalStateException("Cannot run rabbitmqctl " + String.join(" ", arguments)
					+ " against the broker at " + this.host + ":" + this.port + " (" + this.origin
					+ "): the rabbitmqctl on this machine controls the local node, not that broker, so the fault "
					+ "would hit the wrong one. Run this test against the local broker on 127.0.0.1:5672 "
					+ "(RABBITMQ_URL and spring.rabbitmq.host unset) or a Testcontainers one.");
		}
		List<String> command = new ArrayList<>();
		command.add("rabbitmqctl");
		command.add("-q");
		command.addAll(List.of(arguments));
		try {
			if (ctlTarget() == CtlTarget.CONTAINER) {
				ExecResult result = this.container.execInContainer(command.toArray(String[]::new));
				if (result.getExitCode() != 0) {
					throw new IllegalStateException(command + " failed: " + result.getStderr());
				}
				return result.getStdout();
			}
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(command + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Where {@link #ctl} runs {@code rabbitmqctl}.
	 */
	enum CtlTarget {

		/**
		 * The tool on this machine, which controls the local node.
		 */
		LOCAL_NODE,

		/**
		 * The tool inside the Testcontainers container, through {@code execInContainer}.
		 */
		CONTAINER,

		/**
		 * Nowhere: no tool here reaches the broker.
		 */
		NONE

	}

}
