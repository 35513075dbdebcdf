<?php
/**
 * Incremental parser for a text/event-stream body, fed with whatever chunks the socket delivers.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Upstream;

defined( 'ABSPATH' ) || exit;

/**
 * Turns arbitrary byte chunks into complete server-sent events (per the WHATWG EventSource
 * parsing rules: LF, CR or CRLF line ends, `:` comments, multi-line `data`).
 *
 * Memory is bounded: a single line longer than the limit means the upstream is broken or
 * hostile, and feed() refuses it instead of buffering without end.
 */
final class Sse_Reader {

	/**
	 * Longest line accepted, in bytes. A chat completion chunk is a few hundred bytes.
	 */
	public const DEFAULT_MAX_LINE_BYTES = 1048576;

	/**
	 * Bytes received that do not yet end with a line break.
	 *
	 * @var string
	 */
	private string $buffer = '';

	/**
	 * A CR was the last byte seen, so an LF starting the next chunk belongs to it.
	 *
	 * @var bool
	 */
	private bool $pending_cr = false;

	/**
	 * Event name of the event being assembled ('' = the default "message").
	 *
	 * @var string
	 */
	private string $event = '';

	/**
	 * Data lines of the event being assembled.
	 *
	 * @var list<string>
	 */
	private array $data = array();

	/**
	 * Longest accepted line.
	 *
	 * @var int
	 */
	private int $max_line_bytes;

	/**
	 * Sets the line limit.
	 *
	 * @param int $max_line_bytes Longest accepted line, in bytes.
	 */
	public function __construct( int $max_line_bytes = self::DEFAULT_MAX_LINE_BYTES ) {
		$this->max_line_bytes = $max_line_bytes;
	}

	/**
	 * Adds bytes and returns the events they completed.
	 *
	 * @param string $chunk Bytes as they came from the socket.
	 * @return list<array{event: string, data: string}> Completed events, oldest first.
	 * @throws \LengthException When a line grows past the limit.
	 */
	public function feed( string $chunk ): array {
		if ( $this->pending_cr && '' !== $chunk && "\n" === $chunk[0] ) {
			$chunk = substr( $chunk, 1 );
		}
		$this->pending_cr = false;
		$this->buffer    .= $chunk;

		$events = array();
		$offset = 0;
		$length = strlen( $this->buffer );
		while ( $offset < $length ) {
			$end = strcspn( $this->buffer, "\r\n", $offset );
			if ( $offset + $end >= $length ) {
				break; // No line break yet: the rest waits for more bytes.
			}
			$line   = substr( $this->buffer, $offset, $end );
			$offset = $offset + $end;
			if ( "\r" === $this->buffer[ $offset ] ) {
				++$offset;
				if ( $offset >= $length ) {
					$this->pending_cr = true;
				} elseif ( "\n" === $this->buffer[ $offset ] ) {
					++$offset;
				}
			} else {
				++$offset;
			}
			if ( strlen( $line ) > $this->max_line_bytes ) {
				throw new \LengthException( 'SSE line longer than ' . $this->max_line_bytes . ' bytes' );
			}
			$event = $this->line( $line );
			if ( null !== $event ) {
				$events[] = $event;
			}
		}
		$this->buffer = (string) substr( $this->buffer, $offset );
		if ( strlen( $this->buffer ) > $this->max_line_bytes ) {
			throw new \LengthException( 'SSE line longer than ' . $this->max_line_bytes . ' bytes' );
		}
		return $events;
	}

	/**
	 * Whether bytes of an unfinished line or event are still held (a cut stream leaves some).
	 */
	public function has_partial(): bool {
		return '' !== $this->buffer || array() !== $this->data;
	}

	/**
	 * Applies one complete line to the event being assembled.
	 *
	 * @param string $line Line without its line break.
	 * @return array{event: string, data: string}|null The event a blank line completed.
	 */
	private function line( string $line ): ?array {
		if ( '' === $line ) {
			if ( array() === $this->data ) {
				$this->event = '';
				return null;
			}
			$event       = array(
				'event' => '' === $this->event ? 'message' : $this->event,
				'data'  => implode( "\n", $this->data ),
			);
			$this->event = '';
			$this->data  = array();
			return $event;
		}
		if ( ':' === $line[0] ) {
			return null; // A comment, e.g. a keep-alive.
		}
		$colon = strpos( $line, ':' );
		$field = false === $colon ? $line : substr( $line, 0, $colon );
		$value = false === $colon ? '' : substr( $line, $colon + 1 );
		if ( str_starts_with( $value, ' ' ) ) {
			$value = substr( $value, 1 );
		}
		if ( 'data' === $field ) {
			$this->data[] = $value;
		} elseif ( 'event' === $field ) {
			$this->event = $value;
		}
		return null;
	}
}
