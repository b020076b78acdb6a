package io.hare.test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A test's own view of the PostgreSQL database: the one {@code HARE_TEST_JDBC_URL} or
 * {@code spring.datasource.*} names, else {@code test} on 127.0.0.1:5432 as user
 * {@code postgres} (which {@code scripts/ensure-postgres.sh} provides); unique table names it
 * drops afterwards.
 */
public final class PostgresFixture implements AutoCloseable {

	private final String url = setting("HARE_TEST_JDBC_URL", "spring.datasource.url",
			"jdbc:postgresql://127.0.0.1:5432/test");

	private final String username = setting("HARE_TEST_JDBC_USERNAME", "spring.datasource.username", "postgres");

	private final String password = setting("HARE_TEST_JDBC_PASSWORD", "spring.datasource.password", "");

	private final DriverManagerDataSource dataSource = new DriverManagerDataSource(this.url, this.username,
			this.password);

	private final JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);

	public PostgresFixture() {
		if (isLocal() && !answers()) {
			// As the broker lookup starts a local RabbitMQ: start the local PostgreSQL, then fail
			// loudly below if it still does not answer.
			ProjectScripts.run("ensure-postgres.sh");
		}
	}

	private final List<String> tables = new ArrayList<>();

	/**
	 * Return the properties that point Spring Boot's data source at the database.
	 * @return the properties
	 */
	public String[] springProperties() {
		return new String[] { "spring.datasource.url=" + this.url, "spring.datasource.username=" + this.username,
				"spring.datasource.password=" + this.password };
	}

	public DataSource dataSource() {
		return this.dataSource;
	}

	public JdbcTemplate jdbc() {
		return this.jdbc;
	}

	/**
	 * Return a unique table name, dropped at the end.
	 * @param prefix what the name starts with
	 * @return the table name
	 */
	public String table(String prefix) {
		String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
		this.tables.add(name);
		return name;
	}

	/**
	 * Count the rows of a table.
	 * @param table the table
	 * @return the count
	 */
	public long count(String table) {
		Long count = this.jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
		return (count != null) ? count : 0;
	}

	private boolean isLocal() {
		return this.url.startsWith("jdbc:postgresql://127.0.0.1:") || this.url.startsWith("jdbc:postgresql://localhost:");
	}

	private boolean answers() {
		try (java.sql.Connection connection = this.dataSource.getConnection()) {
			return connection.isValid(5);
		}
		catch (java.sql.SQLException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		this.tables.forEach((table) -> this.jdbc.execute("DROP TABLE IF EXISTS " + table));
	}

	private static String setting(String environmentVariable, String systemProperty, String fallback) {
		String value = System.getProperty(systemProperty);
		if (value == null || value.isBlank()) {
			value = System.getenv(environmentVariable);
		}
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
