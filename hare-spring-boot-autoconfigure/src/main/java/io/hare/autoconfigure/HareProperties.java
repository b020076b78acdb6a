package io.hare.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hare.support.CredentialMasker;
import io.hare.dedup.DedupTtl;
import io.hare.listener.ListenerProperties;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for Hare. Strict: a key under {@code hare} that none of its fields
 * binds fails start-up. A plain JavaBean, long only for its documented fields and accessors.
 */
@ConfigurationProperties(prefix = "hare", ignoreUnknownFields = false)
public class HareProperties {

	/**
	 * Settings every listener starts from, unless its annotation or properties say otherwise.
	 */
	@NestedConfigurationProperty
	private final ListenerProperties defaults = new ListenerProperties();

	/**
	 * Settings of individual listeners, by listener id; they win over the annotation.
	 */
	private final Map<String, ListenerProperties> listeners = new LinkedHashMap<>();

	/**
	 * How Hare declares its topology.
	 */
	private final Topology topology = new Topology();

	/**
	 * How long to wait for the broker to confirm a retried or dead-lettered message before the
	 * original is requeued.
	 */
	private Duration confirmTimeout = Duration.ofSeconds(10);

	/**
	 * Micrometer Observation of Hare's listeners and republishing, for tracing.
	 */
	private final Observation observation = new Observation();

	/**
	 * How dead letters are moved back to their work queue.
	 */
	private final Redrive redrive = new Redrive();

	/**
	 * Hare's Micrometer meters.
	 */
	private final Metrics metrics = new Metrics();

	/**
	 * How operators read a listener's dead letters to group them and page through them.
	 */
	private final DeadLetters deadLetters = new DeadLetters();

	/**
	 * The operations page in the browser.
	 */
	private final Ui ui = new Ui();

	public ListenerProperties getDefaults() {
		return this.defaults;
	}

	public Map<String, ListenerProperties> getListeners() {
		return this.listeners;
	}

	public Topology getTopology() {
		return this.topology;
	}

	public Duration getConfirmTimeout() {
		return this.confirmTimeout;
	}

	public void setConfirmTimeout(Duration confirmTimeout) {
		this.confirmTimeout = confirmTimeout;
	}

	/**
	 * How Hare declares its topology.
	 */
	public static class Topology {

		/**
		 * Whether to log a declaration the broker refuses, such as a queue that exists with
		 * other arguments, and start anyway, instead of failing the start.
		 */
		private boolean ignoreDeclarationConflicts;

		public boolean isIgnoreDeclarationConflicts() {
			return this.ignoreDeclarationConflicts;
		}

		public void setIgnoreDeclarationConflicts(boolean ignoreDeclarationConflicts) {
			this.ignoreDeclarationConflicts = ignoreDeclarationConflicts;
		}

	}

	// Publishing, deduplication and named connections.

	/**
	 * Additional connections, by name, that listeners and publishers pick with
	 * "connection: <name>"; "default" is Spring Boot's (spring.rabbitmq.*).
	 */
	private final Map<String, Connection> connections = new LinkedHashMap<>();

	/**
	 * Publishers, by name; each becomes a HarePublisher bean qualified by its name.
	 */
	private final Map<String, Publisher> publishers = new LinkedHashMap<>();

	private final Dedup dedup = new Dedup();

	public Map<String, Connection> getConnections() {
		return this.connections;
	}

	public Map<String, Publisher> getPublishers() {
		return this.publishers;
	}

	public Dedup getDedup() {
		return this.dedup;
	}

	/**
	 * A named connection. Where it goes and how it logs in are its own (RabbitMQ's defaults
	 * when unset, never spring.rabbitmq's credentials); other settings such as timeouts and
	 * the channel cache come from spring.rabbitmq.*.
	 */
	public static class Connection {

		/**
		 * URI such as amqp://user:secret@host:5672/vhost (amqps:// for TLS); wins over host,
		 * port, virtual-host, username and password.
		 */
		private @Nullable String uri;

		/**
		 * Nodes of a cluster as host:port (port optional), tried in random order so that the
		 * connection fails over to a live node; win over host, port and the URI's host and port.
		 */
		private List<String> addresses = new ArrayList<>();

		/**
		 * Host of the broker.
		 */
		private String host = "localhost";

		/**
		 * Port of the broker; 5672, or 5671 with TLS, when not set.
		 */
		private @Nullable Integer port;

		/**
		 * Virtual host to connect to.
		 */
		private String virtualHost = "/";

		/**
		 * User to log in as.
		 */
		private String username = "guest";

		/**
		 * Password to log in with.
		 */
		private String password = "guest";

		private final ConnectionSsl ssl = new ConnectionSsl();

		public @Nullable String getUri() {
			return this.uri;
		}

		public void setUri(@Nullable String uri) {
			this.uri = uri;
		}

		public List<String> getAddresses() {
			return this.addresses;
		}

		public void setAddresses(List<String> addresses) {
			this.addresses = addresses;
		}

		public String getHost() {
			return this.host;
		}

		public void setHost(String host) {
			this.host = host;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public String getVirtualHost() {
			return this.virtualHost;
		}

		public void setVirtualHost(String virtualHost) {
			this.virtualHost = virtualHost;
		}

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

		public ConnectionSsl getSsl() {
			return this.ssl;
		}

		@Override
		public String toString() {
			String target = (this.uri != null) ? CredentialMasker.mask(this.uri)
					: this.username + ":" + CredentialMasker.MASK + "@" + this.host + ":"
							+ ((this.port != null) ? this.port : "default") + ", virtual host '" + this.virtualHost
							+ "'";
			return "Connection [" + target + ", ssl=" + this.ssl.isEnabled() + "]";
		}

	}

	/**
	 * TLS of a named connection.
	 */
	public static class ConnectionSsl {

		/**
		 * Whether to connect with TLS, verifying the server's certificate and host name.
		 */
		private boolean enabled;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) with the trust material; implies TLS.
		 */
		private @Nullable String bundle;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * A publisher.
	 */
	public static class Publisher {

		/**
		 * Exchange to publish to, declared durable when the publisher starts; the default
		 * exchange when empty.
		 */
		private String exchange = "";

		/**
		 * Type of the exchange: direct, topic, fanout or headers; hare.defaults.exchange-type
		 * when not set.
		 */
		private @Nullable String exchangeType;

		/**
		 * Routing key to publish with unless a call gives one.
		 */
		private String routingKey = "";

		/**
		 * Name of the connection (hare.connections.<name>) to publish on; Spring Boot's when
		 * not set.
		 */
		private @Nullable String connection;

		/**
		 * Whether to declare the exchange; turn off for an exchange the application may not
		 * configure.
		 */
		private boolean declareExchange = true;

		/**
		 * How long to wait for the broker's confirm before a publish fails;
		 * hare.confirm-timeout when not set.
		 */
		private @Nullable Duration confirmTimeout;

		/**
		 * Body size above which a message's body is gzipped (content-encoding gzip); never when
		 * not set.
		 */
		private @Nullable DataSize compressAbove;

		/**
		 * Names of MessagePostProcessor beans every message goes through, in order, after it was
		 * encoded.
		 */
		private List<String> postProcessors = new ArrayList<>();

		/**
		 * Stream to publish to over the stream protocol, with its confirms, instead of to the
		 * exchange; needs the stream client and a broker that offers the protocol.
		 */
		private @Nullable String stream;

		/**
		 * Name of the stream producer, under which the broker drops a message it already
		 * stored (after a reconnect); only one running instance may use a name. None when not
		 * set.
		 */
		private @Nullable String streamProducerName;

		public @Nullable String getStream() {
			return this.stream;
		}

		public void setStream(@Nullable String stream) {
			this.stream = stream;
		}

		public @Nullable String getStreamProducerName() {
			return this.streamProducerName;
		}

		public void setStreamProducerName(@Nullable String streamProducerName) {
			this.streamProducerName = streamProducerName;
		}

		public @Nullable DataSize getCompressAbove() {
			return this.compressAbove;
		}

		public void setCompressAbove(@Nullable DataSize compressAbove) {
			this.compressAbove = compressAbove;
		}

		public List<String> getPostProcessors() {
			return this.postProcessors;
		}

		public void setPostProcessors(List<String> postProcessors) {
			this.postProcessors = postProcessors;
		}


		private final PublisherDedup dedup = new PublisherDedup();

		public String getExchange() {
			return this.exchange;
		}

		public void setExchange(String exchange) {
			this.exchange = exchange;
		}

		public @Nullable String getExchangeType() {
			return this.exchangeType;
		}

		public void setExchangeType(@Nullable String exchangeType) {
			this.exchangeType = exchangeType;
		}

		public String getRoutingKey() {
			return this.routingKey;
		}

		public void setRoutingKey(String routingKey) {
			this.routingKey = routingKey;
		}

		public @Nullable String getConnection() {
			return this.connection;
		}

		public void setConnection(@Nullable String connection) {
			this.connection = connection;
		}

		public boolean isDeclareExchange() {
			return this.declareExchange;
		}

		public void setDeclareExchange(boolean declareExchange) {
			this.declareExchange = declareExchange;
		}

		public @Nullable Duration getConfirmTimeout() {
			return this.confirmTimeout;
		}

		public void setConfirmTimeout(@Nullable Duration confirmTimeout) {
			this.confirmTimeout = confirmTimeout;
		}

		public PublisherDedup getDedup() {
			return this.dedup;
		}

	}

	/**
	 * Deduplication of one publisher; on when a time-to-live is set.
	 */
	public static class PublisherDedup {

		/**
		 * How long a published message blocks its duplicates: a duration such as 10m, or
		 * "infinite"; deduplication is off when not set.
		 */
		private @Nullable DedupTtl ttl;

		/**
		 * JSON fields the deduplication key is made of (dotted names reach nested fields);
		 * the whole message when empty.
		 */
		private List<String> keys = new ArrayList<>();

		/**
		 * Whether to publish without deduplication when the store is unavailable;
		 * hare.dedup.fail-open when not set.
		 */
		private @Nullable Boolean failOpen;

		public @Nullable DedupTtl getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable DedupTtl ttl) {
			this.ttl = ttl;
		}

		public List<String> getKeys() {
			return this.keys;
		}

		public void setKeys(List<String> keys) {
			this.keys = keys;
		}

		public @Nullable Boolean getFailOpen() {
			return this.failOpen;
		}

		public void setFailOpen(@Nullable Boolean failOpen) {
			this.failOpen = failOpen;
		}

	}

	/**
	 * Where and how publishers keep deduplication claims.
	 */
	public static class Dedup {

		/**
		 * Where claims are kept: memory (this instance only) or redis (shared by every
		 * instance; needs Spring Data Redis).
		 */
		private DedupStoreType store = DedupStoreType.MEMORY;

		/**
		 * Maximum number of claims the in-memory store holds; beyond it the least used are
		 * evicted early.
		 */
		private long maxEntries = 100_000;

		/**
		 * Whether to publish without deduplication when the store is unavailable, instead of
		 * failing the publish.
		 */
		private boolean failOpen;

		private final DedupRedis redis = new DedupRedis();

		public DedupStoreType getStore() {
			return this.store;
		}

		public void setStore(DedupStoreType store) {
			this.store = store;
		}

		public long getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(long maxEntries) {
			this.maxEntries = maxEntries;
		}

		public boolean isFailOpen() {
			return this.failOpen;
		}

		public void setFailOpen(boolean failOpen) {
			this.failOpen = failOpen;
		}

		public DedupRedis getRedis() {
			return this.redis;
		}

	}

	/**
	 * Where deduplication claims are kept.
	 */
	public enum DedupStoreType {

		/**
		 * In this instance's memory (Caffeine).
		 */
		MEMORY,

		/**
		 * In Redis, shared by every instance.
		 */
		REDIS

	}

	/**
	 * The Redis deduplication store.
	 */
	public static class DedupRedis {

		/**
		 * Prefix of every claim's key in Redis.
		 */
		// A literal, not RedisDedupStore.DEFAULT_KEY_PREFIX: the metadata processor shows only literals.
		private String keyPrefix = "hare:dedup:";

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

	}

	// Delayed delivery.

	private final Delay delay = new Delay();

	public Delay getDelay() {
		return this.delay;
	}

	/**
	 * Delayed delivery through Hare's delay levels, made of standard exchanges, queues, TTLs
	 * and dead-lettering.
	 */
	public static class Delay {

		/**
		 * Whether to declare the delay levels on every Hare connection and offer delayed
		 * delivery and exponential backoff.
		 */
		private boolean enabled = true;

		/**
		 * Prefix of the names of the delay levels' exchanges and queues; applications that
		 * share a virtual host should share it.
		 */
		private String prefix = "hare.delay";

		private final Forwarder forwarder = new Forwarder();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPrefix() {
			return this.prefix;
		}

		public void setPrefix(String prefix) {
			this.prefix = prefix;
		}

		public Forwarder getForwarder() {
			return this.forwarder;
		}

	}

	/**
	 * The forwarder that publishes due messages to their exchange.
	 */
	public static class Forwarder {

		/**
		 * Whether this application runs a forwarder on each Hare connection; without one
		 * anywhere, delayed messages for exchanges wait in the ready queue.
		 */
		private boolean enabled = true;

		/**
		 * Number of consumers of each forwarder; each waits for the confirm of the copy it
		 * forwards, so several keep up with many messages falling due at once.
		 */
		private int concurrency = 4;

		/**
		 * Number of unacknowledged due messages each forwarder consumer may hold; Spring
		 * AMQP's default when not set.
		 */
		private @Nullable Integer prefetch;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public @Nullable Integer getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(@Nullable Integer prefetch) {
			this.prefetch = prefetch;
		}

	}

	// Tests.

	private final Test test = new Test();

	public Test getTest() {
		return this.test;
	}

	/**
	 * Settings for tests only, such as those of an application's integration tests with
	 * hare-spring-boot-test; never set them in production.
	 */
	public static class Test {

		/**
		 * Test only: factor every retry delay and delayed delivery is multiplied by, more than
		 * 0 and at most 1, such as 0.01 to wait 10 ms for a 1 s retry; delays through the
		 * delay levels (exponential backoff, delayed publishing) are still rounded up to whole
		 * seconds.
		 */
		private double timeScale = 1.0;

		/**
		 * Test only: prefix of the name of every queue and exchange a listener or publisher
		 * declares, such as "test-${random.uuid}.", so that tests run side by side on one
		 * broker; not applied to the delay levels or the default exchange.
		 */
		private String namePrefix = "";

		/**
		 * Test only: whether hare-spring-boot-test deletes the queues and exchanges Hare
		 * declared for listeners and publishers when the test's application context closes.
		 */
		private boolean cleanup = true;

		/**
		 * Test only: how long the awaits of hare-spring-boot-test's HareTestHarness wait
		 * unless told otherwise.
		 */
		private Duration awaitTimeout = Duration.ofSeconds(10);

		public double getTimeScale() {
			return this.timeScale;
		}

		public void setTimeScale(double timeScale) {
			this.timeScale = timeScale;
		}

		public String getNamePrefix() {
			return this.namePrefix;
		}

		public void setNamePrefix(String namePrefix) {
			this.namePrefix = namePrefix;
		}

		public boolean isCleanup() {
			return this.cleanup;
		}

		public void setCleanup(boolean cleanup) {
			this.cleanup = cleanup;
		}

		public Duration getAwaitTimeout() {
			return this.awaitTimeout;
		}

		public void setAwaitTimeout(Duration awaitTimeout) {
			this.awaitTimeout = awaitTimeout;
		}

	}

	// Transactional outbox.

	/**
	 * The transactional outbox: messages published inside a database transaction are sent
	 * after it committed.
	 */
	@NestedConfigurationProperty
	private final OutboxProperties outbox = new OutboxProperties();

	public OutboxProperties getOutbox() {
		return this.outbox;
	}

	/**
	 * The idempotent inbox: idempotent listeners record each message's id in a database
	 * transaction with their handler's work, so that a redelivery takes effect once.
	 */
	@NestedConfigurationProperty
	private final InboxProperties inbox = new InboxProperties();

	public InboxProperties getInbox() {
		return this.inbox;
	}

	/**
	 * How Hare connects over RabbitMQ's stream protocol, when its client is on the classpath.
	 */
	@NestedConfigurationProperty
	private final StreamsProperties streams = new StreamsProperties();

	public StreamsProperties getStreams() {
		return this.streams;
	}

	// Operations.

	public Observation getObservation() {
		return this.observation;
	}

	public Redrive getRedrive() {
		return this.redrive;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	public DeadLetters getDeadLetters() {
		return this.deadLetters;
	}

	public Ui getUi() {
		return this.ui;
	}

	/**
	 * Micrometer Observation of Hare's listeners and republishing.
	 */
	public static class Observation {

		/**
		 * Whether to record a Micrometer Observation around every message a listener handles
		 * and every retry or dead-letter copy it publishes, so that a trace follows a message
		 * through its retries.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * How dead letters are moved back to their work queue.
	 */
	public static class Redrive {

		/**
		 * Largest number of dead letters a redrive republishes per second, so that a redrive
		 * does not flood the work queue and its consumers; zero or less for no limit.
		 */
		private int rate = 100;

		public int getRate() {
			return this.rate;
		}

		public void setRate(int rate) {
			this.rate = rate;
		}

	}

	/**
	 * Hare's Micrometer meters.
	 */
	public static class Metrics {

		/**
		 * How long a queue depth read from the broker is reused by the depth gauges and the
		 * health check before it is read again.
		 */
		private Duration queueDepthTtl = Duration.ofSeconds(10);

		public Duration getQueueDepthTtl() {
			return this.queueDepthTtl;
		}

		public void setQueueDepthTtl(Duration queueDepthTtl) {
			this.queueDepthTtl = queueDepthTtl;
		}

	}

	/**
	 * How operators read a listener's dead letters to group them and page through them.
	 */
	public static class DeadLetters {

		/**
		 * Largest number of dead letters read, and returned to their queue, to group them or
		 * page through a group; the ones after it are counted but not read.
		 */
		private int readLimit = 1_000;

		public int getReadLimit() {
			return this.readLimit;
		}

		public void setReadLimit(int readLimit) {
			this.readLimit = readLimit;
		}

	}

	/**
	 * The operations page in the browser, which talks only to the {@code hare} actuator endpoint.
	 */
	public static class Ui {

		/**
		 * Whether to serve the operations page, in a servlet web application with the actuator.
		 */
		private boolean enabled;

		/**
		 * Path the operations page is served at.
		 */
		private String path = "/hare";

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

	}

}
