package io.hare.test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on the loopback interface in front of the broker that can cut every connection
 * through it, as a broker that went away would, or hold back the
 * broker's publisher confirms ({@code basic.ack} and {@code basic.nack} frames) while every
 * other frame, such as {@code channel.open-ok} or heartbeats, goes through. Faults stay on the
 * test's own connections, never on the shared broker.
 */
public final class TcpProxy implements AutoCloseable {

	private static final int FRAME_METHOD = 1;

	private static final int CLASS_BASIC = 60;

	private static final int METHOD_ACK = 80;

	private static final int METHOD_NACK = 120;

	private static final int FRAME_END = 0xCE;

	private final String targetHost;

	private final int targetPort;

	private final ServerSocket server;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final List<Held> held = new ArrayList<>();

	private boolean holding;

	private volatile boolean cut;

	public TcpProxy(String targetHost, int targetPort) {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	/**
	 * Hold back every publisher confirm the broker sends until {@link #releaseConfirms()}.
	 */
	public synchronized void holdConfirms() {
		this.holding = true;
	}

	/**
	 * Send the held confirms, in order, and stop holding.
	 */
	public synchronized void releaseConfirms() {
		this.holding = false;
		for (Held frame : this.held) {
			try {
				synchronized (frame.out()) {
					frame.out().write(frame.bytes());
					frame.out().flush();
				}
			}
			catch (IOException ex) {
				// The connection closed meanwhile: nothing to confirm any more.
			}
		}
		this.held.clear();
	}

	/**
	 * Close every connection through the proxy and refuse new ones until {@link #restore()}, as
	 * a broker that went away would.
	 */
	public void cut() {
		this.cut = true;
		this.sockets.forEach(TcpProxy::closeQuietly);
		this.sockets.clear();
	}

	/**
	 * Accept connections again after {@link #cut()}.
	 */
	public void restore() {
		this.cut = false;
	}

	private synchronized boolean held(OutputStream out, byte[] frame, boolean confirm) {
		if (this.holding && confirm) {
			this.held.add(new Held(out, frame));
			return true;
		}
		return false;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				if (this.cut) {
					closeQuietly(client);
					continue;
				}
				Socket broker = new Socket();
				broker.connect(new InetSocketAddress(this.targetHost, this.targetPort), 5000);
				this.sockets.add(client);
				this.sockets.add(broker);
				start("tcp-proxy-up", () -> pumpBytes(client, broker));
				start("tcp-proxy-down", () -> pumpFrames(broker, client));
			}
			catch (IOException ex) {
				// The server socket was closed: the proxy is done.
			}
		}
	}

	private static void start(String name, Runnable pump) {
		Thread thread = new Thread(pump, name);
		thread.setDaemon(true);
		thread.start();
	}

	private void pumpBytes(Socket from, Socket to) {
		byte[] buffer = new byte[8192];
		try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				out.write(buffer, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// One side closed: close the other below.
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	/**
	 * The broker sends only AMQP frames: type, channel, size, payload, end marker.
	 */
	private void pumpFrames(Socket from, Socket to) {
		try (DataInputStream in = new DataInputStream(from.getInputStream()); OutputStream out = to.getOutputStream()) {
			while (true) {
				int type = in.readUnsignedByte();
				int channel = in.readUnsignedShort();
				int size = in.readInt();
				byte[] payload = new byte[size];
				in.readFully(payload);
				int end = in.readUnsignedByte();
				ByteArrayOutputStream frame = new ByteArrayOutputStream(size + 8);
				DataOutputStream data = new DataOutputStream(frame);
				data.writeByte(type);
				data.writeShort(channel);
				data.writeInt(size);
				data.write(payload);
				data.writeByte(end);
				if (end != FRAME_END) {
					throw new IOException("Not an AMQP frame");
				}
				boolean confirm = type == FRAME_METHOD && size >= 4 && classId(payload) == CLASS_BASIC
						&& (methodId(payload) == METHOD_ACK || methodId(payload) == METHOD_NACK);
				if (!held(out, frame.toByteArray(), confirm)) {
					synchronized (out) {
						out.write(frame.toByteArray());
						out.flush();
					}
				}
			}
		}
		catch (IOException ex) {
			// One side closed: close the other below.
		}
		finally {
			closeQuietly(from);
			closeQuietly(to);
		}
	}

	private static int classId(byte[] payload) {
		return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
	}

	private static int methodId(byte[] payload) {
		return ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
	}

	private static void closeQuietly(AutoCloseable socket) {
		try {
			socket.close();
		}
		catch (Exception ex) {
			// Closing anyway.
		}
	}

	@Override
	public void close() {
		releaseConfirms();
		closeQuietly(this.server);
		this.sockets.forEach(TcpProxy::closeQuietly);
	}

	private record Held(OutputStream out, byte[] bytes) {
	}

}
