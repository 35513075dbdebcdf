<?php
/**
 * Measures, through the running stack (nginx + php-fpm + the OpenAI simulator with whatever
 * latency it is configured with), the time from the last byte of a voice question leaving the
 * browser to the first byte of spoken reply arriving, for both pipelines; and the upload size
 * per second of speech for the recorder's formats.
 *
 *   php tests/bench/voice-first-audio.php [runs=5]
 *
 * The native pipeline is what `auto` picks on the stack; the chained one is forced by adding a
 * photo (audio models take no images). Prints a Markdown table.
 *
 * @package VoiceVisionChat\Tests
 */

// phpcs:disable -- a command-line measurement script, not plugin code.

$runs     = max( 1, (int) ( $argv[1] ?? 5 ) );
$site     = 'http://127.0.0.1:8888/wp-json/voice-vision-chat/v1';
$fixtures = __DIR__ . '/../php/fixtures/audio/';
$photo    = __DIR__ . '/../php/fixtures/images/photo.jpg';

/**
 * One streamed voice question; times in seconds from the end of the upload.
 */
function vvc_bench_once( string $site, string $token, string $audio_path, string $name, ?string $photo ): array {
	$fields = array(
		'stream' => '1',
		'audio'  => new CURLFile( $audio_path, str_ends_with( $name, '.wav' ) ? 'audio/wav' : 'audio/mpeg', $name ),
	);
	if ( null !== $photo ) {
		$fields['image'] = new CURLFile( $photo, 'image/jpeg', 'photo.jpg' );
	}
	$sent = 0.0;
	$first = array();
	$buffer = '';
	$pipeline = '';
	$curl = curl_init( $site . '/chat' );
	curl_setopt_array(
		$curl,
		array(
			CURLOPT_POST             => true,
			CURLOPT_POSTFIELDS       => $fields,
			CURLOPT_HTTPHEADER       => array( 'X-VVC-Token: ' . $token, 'Expect:' ),
			CURLOPT_TIMEOUT          => 60,
			CURLOPT_NOPROGRESS       => false,
			CURLOPT_XFERINFOFUNCTION => static function ( $c, $dt, $dn, $ut, $un ) use ( &$sent ): int {
				if ( 0.0 === $sent && $ut > 0 && $un >= $ut ) {
					$sent = microtime( true );
				}
				return 0;
			},
			CURLOPT_WRITEFUNCTION    => static function ( $c, string $data ) use ( &$buffer, &$first, &$pipeline ): int {
				$now     = microtime( true );
				$buffer .= $data;
				while ( false !== ( $end = strpos( $buffer, "\n\n" ) ) ) {
					$block  = substr( $buffer, 0, $end );
					$buffer = substr( $buffer, $end + 2 );
					if ( preg_match( '/^event: (\w+)\ndata: (.*)$/s', $block, $m ) ) {
						$first[ $m[1] ] = $first[ $m[1] ] ?? $now;
						if ( 'done' === $m[1] ) {
							$pipeline = (string) ( json_decode( $m[2], true )['pipeline'] ?? '' );
						}
					}
				}
				return strlen( $data );
			},
		)
	);
	curl_exec( $curl );
	$upload = (int) curl_getinfo( $curl, CURLINFO_SIZE_UPLOAD );
	curl_close( $curl );
	$since = static fn ( string $event ): ?float => isset( $first[ $event ] ) ? $first[ $event ] - $sent : null;
	return array(
		'pipeline'   => $pipeline,
		'transcript' => $since( 'transcript' ),
		'delta'      => $since( 'delta' ),
		'audio'      => $since( 'audio' ),
		'done'       => $since( 'done' ),
		'upload'     => $upload,
	);
}

$session = json_decode( (string) file_get_contents( $site . '/session', false, stream_context_create( array( 'http' => array( 'method' => 'POST' ) ) ) ), true );
$token   = $session['token'] ?? '';
if ( '' === $token ) {
	fwrite( STDERR, "The stack does not answer: bash tests/stack/up.sh\n" );
	exit( 1 );
}
$config = json_decode( (string) file_get_contents( 'http://127.0.0.1:4010/__sim/config' ), true );
printf( "Simulator latency: %s\n\n", json_encode( $config['latency'] ?? null ) );

$median = static function ( array $values ): float {
	sort( $values );
	$n = count( $values );
	return $n % 2 ? $values[ intdiv( $n, 2 ) ] : ( $values[ $n / 2 - 1 ] + $values[ $n / 2 ] ) / 2;
};

echo "| pipeline | recording | first transcript | first text | first audio | done | runs |\n|---|---|---|---|---|---|---|\n";
foreach ( array( 'native' => null, 'chained' => $photo ) as $label => $image ) {
	foreach ( array( 'question-16k-mono.mp3', 'question-16k-mono.wav' ) as $file ) {
		$rows = array();
		for ( $i = 0; $i < $runs; $i++ ) {
			$rows[] = vvc_bench_once( $site, $token, $fixtures . $file, str_ends_with( $file, '.wav' ) ? 'voice.wav' : 'voice.mp3', $image );
		}
		$ms = static fn ( string $key ): string => sprintf( '%.0f ms', 1000 * $median( array_map( static fn ( array $r ): float => (float) $r[ $key ], $rows ) ) );
		printf( "| %s | %s | %s | %s | %s | %s | %d |\n", $rows[0]['pipeline'], $file, $ms( 'transcript' ), $ms( 'delta' ), $ms( 'audio' ), $ms( 'done' ), $runs );
	}
}

echo "\n| recording | bytes | seconds of speech | bytes per second |\n|---|---|---|---|\n";
// The plugin's own parser gives the duration; it needs nothing from WordPress.
define( 'ABSPATH', dirname( __DIR__, 2 ) . '/' );
require_once dirname( __DIR__, 2 ) . '/includes/Media/Audio_Validator.php';
foreach ( array( 'question-16k-mono.mp3', 'question-16k-mono.wav', 'question-48k-stereo.mp3', 'question-48k-stereo.wav' ) as $file ) {
	$bytes     = (string) file_get_contents( $fixtures . $file );
	$structure = VoiceVisionChat\Media\Audio_Validator::structure( $bytes );
	printf( "| %s | %d | %.2f | %.0f |\n", $file, strlen( $bytes ), $structure['seconds'], strlen( $bytes ) / $structure['seconds'] );
}
