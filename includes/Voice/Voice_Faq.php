<?php
/**
 * Spoken questions through the FAQ cache.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Voice;

use VoiceVisionChat\Cache\Faq_Answer;
use VoiceVisionChat\Cache\Faq_Cache;
use VoiceVisionChat\Cache\Faq_Context;
use VoiceVisionChat\Upstream\Chat_Request_Builder;
use VoiceVisionChat\Upstream\Upstream_Error;

defined( 'ABSPATH' ) || exit;

/**
 * What the voice pipelines do with the FAQ cache: the transcript is looked up exactly like a
 * typed question (same Faq_Cache, same normalization, same never-cache rules), a hit is
 * answered with the curated or cached text and its speech, and a model's answer with its
 * speech is offered to the cache.
 *
 * Typed and spoken questions share one cache: the context is built as Chat\Text_Answerer
 * builds it for a typed turn (the router's model for the words, the history, the image flag), so a question typed
 * once and asked aloud later (or the other way round) is counted and answered as one
 * question. A cached answer written for a typed question is spoken through Speech_Text
 * (Markdown removed); one written for a spoken question is plain, short text, fine to read.
 *
 * Speech of a served answer is made once per answer and voice settings (model, voice, speed,
 * instructions) and format (mp3 for JSON answers, pcm for streams: the browser plays those
 * differently), and kept with Faq_Cache::remember_speech() in a transient with the cache's
 * TTL; never on disk. When a model's answer is stored, the speech already made for that
 * visitor is stored with it, so the next ask costs only its transcription.
 *
 * @phpstan-import-type Voice_Answer from Voice_Pipeline
 * @phpstan-import-type Voice_Stream_Result from Voice_Pipeline
 * @phpstan-import-type Voice_Turn from Voice_Request_Builder
 */
final class Voice_Faq {

	/**
	 * Media types of cached speech, by format.
	 */
	private const MIME = array(
		'mp3' => 'audio/mpeg',
		'pcm' => 'audio/L16;rate=24000;channels=1',
	);

	/**
	 * Bytes of cached pcm handed to the chunker at a time (one second), so the visitor gets
	 * audio events of a playable size rather than one huge one.
	 */
	private const REPLAY_BYTES = 48000;

	/**
	 * The FAQ cache.
	 *
	 * @var Faq_Cache
	 */
	private Faq_Cache $cache;

	/**
	 * Picks the model a typed turn would get (part of the cache key).
	 *
	 * @var Chat_Request_Builder
	 */
	private Chat_Request_Builder $chat;

	/**
	 * Speaks answers.
	 *
	 * @var Reply_Speaker
	 */
	private Reply_Speaker $speaker;

	/**
	 * Stores collaborators.
	 *
	 * @param Faq_Cache            $cache   The FAQ cache.
	 * @param Chat_Request_Builder $chat    Chat request builder.
	 * @param Reply_Speaker        $speaker Speaks answers.
	 */
	public function __construct( Faq_Cache $cache, Chat_Request_Builder $chat, Reply_Speaker $speaker ) {
		$this->cache   = $cache;
		$this->chat    = $chat;
		$this->speaker = $speaker;
	}

	/**
	 * Whether the cache could answer the turn at all, before anything was heard: not when it
	 * is off, with an image, or for a later question while there are no curated entries.
	 *
	 * @param array $turn The voice turn.
	 * @phpstan-param Voice_Turn $turn
	 */
	public function may_answer( array $turn ): bool {
		// The model is not looked at here; the standard tier's stands in.
		return $this->cache->may_answer( new Faq_Context( $this->chat->model( null !== $turn['image'] ), $turn['history'], null !== $turn['image'] ) );
	}

	/**
	 * The turn's context for the cache, built as for a typed question: the router's model for
	 * these words (the turn's `route`), the history, the image flag. Null when the cache
	 * cannot answer the turn at all (see may_answer()).
	 *
	 * @param array  $turn     The voice turn.
	 * @param string $question The transcript (and any typed text).
	 * @phpstan-param Voice_Turn $turn
	 */
	public function context( array $turn, string $question ): ?Faq_Context {
		if ( ! $this->may_answer( $turn ) ) {
			return null;
		}
		return new Faq_Context( Voice_Request_Builder::chat_model( $this->chat, $turn, $question ), $turn['history'], null !== $turn['image'] );
	}

	/**
	 * The curated or cached answer to the spoken question, or null; counts the ask.
	 *
	 * @param string      $question The transcript (and any typed text).
	 * @param Faq_Context $context  From context().
	 */
	public function lookup( string $question, Faq_Context $context ): ?Faq_Answer {
		return '' === trim( $question ) ? null : $this->cache->lookup( $question, $context );
	}

	/**
	 * What to append to the system prompt on a miss: the personal-answer marker instruction
	 * when the answer may be cached, else ''.
	 *
	 * @param string      $question The transcript (and any typed text).
	 * @param Faq_Context $context  From context().
	 */
	public function instruction( string $question, Faq_Context $context ): string {
		return $this->cache->is_cacheable( $question, $context ) ? $this->cache->system_instruction() : '';
	}

	/**
	 * Offers the model's answer and its speech to the cache, which keeps them only when the
	 * question is frequent and the answer may be shared.
	 *
	 * @param string      $question The transcript (and any typed text), as looked up.
	 * @param Faq_Context $context  From context().
	 * @param string      $reply    The answer the visitor got, marker removed.
	 * @param string      $finish   The model's finish reason.
	 * @param bool        $marked   Whether the model marked the answer as personal.
	 * @param string      $format   Format of $audio: mp3 or pcm.
	 * @param string      $audio    The whole spoken answer ('' when incomplete or missing).
	 * @return bool Whether the answer was stored.
	 */
	public function remember( string $question, Faq_Context $context, string $reply, string $finish, bool $marked, string $format, string $audio ): bool {
		if ( ! $this->cache->remember( $question, $context, $reply, $finish, $marked ) ) {
			return false;
		}
		if ( '' !== $audio ) {
			// Speech is keyed by the answer's text, stored trimmed: what lookup() will return.
			$stored = new Faq_Answer( trim( $reply ), Faq_Answer::CACHED, '' );
			$this->cache->remember_speech( $stored, $this->speaker->voice_key( $format ), $audio, self::MIME[ $format ] );
		}
		return true;
	}

	/**
	 * A hit as the whole answer, spoken as mp3 (cached, or made now and cached).
	 *
	 * @param Faq_Answer  $hit   The answer.
	 * @param string      $heard The visitor's transcript, shown in the conversation.
	 * @param Usage_Meter $meter The turn's usage so far (the transcription).
	 * @return array
	 * @phpstan-return Voice_Answer
	 */
	public function answer( Faq_Answer $hit, string $heard, Usage_Meter $meter ): array {
		$answer = array(
			'transcript'    => $heard,
			'reply'         => $hit->text,
			'finish_reason' => 'stop',
			'audio'         => null,
			'usage'         => array(),
			'source'        => 'faq',
			'faq'           => $hit,
		);
		try {
			$mp3 = $this->mp3( $hit, $meter );
			if ( '' !== $mp3 ) {
				$answer['audio'] = array(
					'format' => 'mp3',
					'data'   => base64_encode( $mp3 ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary audio inside JSON.
					'label'  => Speech_Text::ai_voice_label(),
				);
			}
		} catch ( Upstream_Error $error ) {
			$answer['audio_error'] = Reply_Speaker::audio_error( $error );
		}
		$answer['usage'] = $meter->entries();
		return $answer;
	}

	/**
	 * A hit as events: the transcript, the answer as one `delta`, its speech as pcm `audio`
	 * events (cached, or made now and cached). The controller adds `done` with `source`.
	 *
	 * @param Faq_Answer  $hit   The answer.
	 * @param string      $heard The visitor's transcript.
	 * @param callable    $emit  Sends one event; false when the visitor is gone.
	 * @param Usage_Meter $meter The turn's usage so far (the transcription).
	 * @return array
	 * @phpstan-param callable(string, array<string, mixed>): bool $emit
	 * @phpstan-return Voice_Stream_Result
	 */
	public function stream( Faq_Answer $hit, string $heard, callable $emit, Usage_Meter $meter ): array {
		$result = array(
			'finish_reason' => 'stop',
			'aborted'       => true,
			'transcript'    => $heard,
			'reply'         => $hit->text,
			'audio_bytes'   => 0,
			'usage'         => $meter->entries(),
			'source'        => 'faq',
			'faq'           => $hit,
		);
		if ( ! $emit( 'transcript', array( 'text' => $heard ) ) || ! $emit( 'delta', array( 'text' => $hit->text ) ) ) {
			return $result;
		}
		$voice  = $this->speaker->voice_key( 'pcm' );
		$cached = $this->cache->speech( $hit, $voice );
		$sound  = Reply_Speaker::chunker( $emit, null === $cached );
		try {
			if ( null !== $cached ) {
				$complete = self::replay( $cached['audio'], $sound );
			} else {
				$complete = $this->speaker->pcm( $hit->text, $sound, $meter );
				if ( $complete ) {
					$this->cache->remember_speech( $hit, $voice, $sound->kept(), self::MIME['pcm'] );
				}
			}
		} catch ( Upstream_Error $error ) {
			$complete = $emit( 'audio_error', Reply_Speaker::audio_error( $error ) );
		}
		$result['aborted']     = ! $complete;
		$result['audio_bytes'] = $sound->bytes_sent();
		$result['usage']       = $meter->entries();
		return $result;
	}

	/**
	 * The answer's mp3: cached, or made now and kept.
	 *
	 * @param Faq_Answer  $hit   The answer.
	 * @param Usage_Meter $meter Records speech requests.
	 * @throws Upstream_Error When speech fails.
	 */
	private function mp3( Faq_Answer $hit, Usage_Meter $meter ): string {
		$voice  = $this->speaker->voice_key( 'mp3' );
		$cached = $this->cache->speech( $hit, $voice );
		if ( null !== $cached ) {
			return $cached['audio'];
		}
		$mp3 = $this->speaker->mp3( $hit->text, $meter );
		$this->cache->remember_speech( $hit, $voice, $mp3, self::MIME['mp3'] );
		return $mp3;
	}

	/**
	 * Sends cached pcm through the chunker, a second at a time.
	 *
	 * @param string      $pcm   Cached audio.
	 * @param Pcm_Chunker $sound The visitor's audio events.
	 * @return bool False when the visitor is gone.
	 */
	private static function replay( string $pcm, Pcm_Chunker $sound ): bool {
		foreach ( str_split( $pcm, self::REPLAY_BYTES ) as $piece ) {
			if ( ! $sound->add( $piece ) ) {
				return false;
			}
		}
		return $sound->flush();
	}
}
