<?php
/**
 * Writes server-sent events straight to the visitor's connection.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Rest;

defined( 'ABSPATH' ) || exit;

/**
 * Sends `text/event-stream` output from inside a REST callback.
 *
 * WordPress's REST server only knows whole responses: it would send its own headers and a
 * JSON body after the callback returns. A stream therefore sends its headers itself on the
 * first event, echoes and flushes each event as it comes, and ends the request in close()
 * (exit, so nothing is appended; shutdown hooks still run).
 *
 * Chat_Controller talks to this class only through event(), started() and close(), so tests
 * hand in a subclass that collects events instead of printing them.
 */
class Sse_Writer {

	/**
	 * Whether the headers went out.
	 *
	 * @var bool
	 */
	private bool $started = false;

	/**
	 * Sends one event; the first one sends the headers.
	 *
	 * @param string               $name Event name: delta, done or error.
	 * @param array<string, mixed> $data JSON payload.
	 * @return bool Whether the visitor is still connected.
	 */
	public function event( string $name, array $data ): bool {
		if ( ! $this->started ) {
			$this->start();
		}
		$json = (string) wp_json_encode( $data, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		// phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- text/event-stream, not HTML: the name is one of ours and the data is JSON on one line.
		echo 'event: ' . $name . "\n" . 'data: ' . $json . "\n\n";
		flush();
		return ! connection_aborted();
	}

	/**
	 * Sends an SSE comment (ignored by clients) while the answer has not started, because
	 * PHP only notices a visitor who left when it writes something. After this the stream has
	 * started: later errors go out as `error` events.
	 *
	 * @return bool Whether the visitor is still connected.
	 */
	public function keepalive(): bool {
		if ( ! $this->started ) {
			$this->start();
		}
		echo ": waiting\n\n";
		flush();
		return ! connection_aborted();
	}

	/**
	 * Whether anything was sent, i.e. the HTTP status and headers can no longer change.
	 */
	public function started(): bool {
		return $this->started;
	}

	/**
	 * Ends the request after the last event. Under PHP-FPM the response ends first, so the
	 * browser sees the stream complete at once instead of after WordPress's shutdown work
	 * (a few milliseconds in which a page that moved on would abort a finished answer).
	 */
	public function close(): void {
		if ( $this->started && function_exists( 'fastcgi_finish_request' ) ) {
			fastcgi_finish_request();
		}
		exit;
	}

	/**
	 * Sends the headers and removes every output buffer, so each event leaves PHP at once.
	 */
	protected function start(): void {
		$this->started = true;
		// Keep running when the visitor leaves, so the upstream request is closed deliberately.
		ignore_user_abort( true );
		while ( ob_get_level() > 0 ) {
			ob_end_clean(); // Anything buffered so far is not part of the stream.
		}
		if ( ! headers_sent() ) {
			status_header( 200 );
			header( 'Content-Type: text/event-stream; charset=utf-8' );
			header( 'Cache-Control: no-store' );
			// nginx buffers FastCGI output unless told not to.
			header( 'X-Accel-Buffering: no' );
			header( 'X-Content-Type-Options: nosniff' );
			header_remove( 'Content-Length' );
		}
	}
}
