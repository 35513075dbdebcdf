<?php
/**
 * Picks the tier and model for a request, and says why.
 *
 * @package VoiceVisionChat
 */

namespace VoiceVisionChat\Routing;

defined( 'ABSPATH' ) || exit;

/**
 * A pure decision from the request's features: what it carries (text, an image, voice),
 * how big it is, how hard the question looks, and the budget state.
 *
 * The rules, in order:
 * 1. Transcription and speech requests use their tiers; a spoken question uses the voice
 *    tier, or the vision tier when it comes with an image (audio chat models take none).
 * 2. A chat question with an image uses the vision tier.
 * 3. Input of long_context_tokens or more uses the long-context tier; input above
 *    economy_max_input_tokens uses the standard tier.
 * 4. Otherwise the complexity score decides: at complexity_threshold or above, standard;
 *    below, economy. The score adds 1 for a long question (2 for a very long one), 1 for
 *    several questions, 2 for code, 1 for comparison cues, 1 for reasoning cues, 1 for a
 *    long conversation.
 * 5. At the soft budget limit, any tier falls to economy when the economy model can do the
 *    job (takes the image or audio, and the input fits its context).
 * 6. If the chosen model cannot be used (no price, shut down, lacks the capability), the
 *    first chat tier whose model can is used instead; if none can, the decision says so.
 *
 * decide() reads nothing but its inputs. route() is decide() plus the `vvc_route_decision`
 * filter, for developers who want their own rule.
 *
 * @phpstan-type Route_Features array{
 *     kind?: string,
 *     has_image?: bool,
 *     input_tokens?: int,
 *     max_output?: int,
 *     turns?: int,
 *     question?: string,
 *     budget_state?: string
 * }
 * @phpstan-type Route_Decision array{
 *     tier: string,
 *     model: string,
 *     score: int,
 *     codes: list<string>,
 *     reasons: list<string>,
 *     usable: bool,
 *     problem: string|null
 * }
 * @phpstan-type Route_Thresholds array{
 *     economy_max_input_tokens: int,
 *     long_context_tokens: int,
 *     complexity_threshold: int,
 *     long_question_chars: int,
 *     very_long_question_chars: int,
 *     long_conversation_turns: int
 * }
 */
final class Model_Router {

	/**
	 * Words that ask for a comparison (English, Chinese, Japanese, German, French, Spanish).
	 */
	private const COMPARISON = '/\b(?:compar(?:e|es|ed|ing|ison)|versus|vs\.?|difference|differences|differ|better than|worse than|pros and cons|trade-?offs?|which (?:one )?is (?:better|best|cheaper)|vergleich\w*|unterschied\w*|comparer|différence|comparar|diferencia)\b|比较|比較|区别|區別|違い/iu';

	/**
	 * Words that ask for reasoning, explanation or planning.
	 */
	private const REASONING = '/\b(?:why|explain\w*|step[- ]by[- ]step|reason(?:ing)?|analy[sz]\w*|calculate|calculation|evaluate|prove|derive|estimate|strategy|recommend\w*|troubleshoot\w*|debug\w*|warum|erkläre\w*|pourquoi|expliquer|por qué|explica\w*|perché)\b|为什么|為什麼|解释|なぜ|どうして|説明/iu';

	/**
	 * Signs of code: fences, common syntax, tags, SQL.
	 */
	private const CODE = '/```|<\?php|<\/?[a-z][a-z0-9-]*(?:\s[^<>]*)?>|\b(?:function|def|class|return|const|let|var|import|public|private)\b[^\n]*[({=;:]|=>|->|::|[;{}]\s*$|\bSELECT\b.+\bFROM\b|\$[a-z_]\w*\s*=|console\.log|#include/im';

	/**
	 * The tier => model map.
	 *
	 * @var Model_Tier
	 */
	private Model_Tier $tiers;

	/**
	 * What each model can do and whether it can be used.
	 *
	 * @var Model_Catalog
	 */
	private Model_Catalog $catalog;

	/**
	 * The rule's numbers.
	 *
	 * @var Route_Thresholds
	 */
	private array $thresholds;

	/**
	 * Stores the tiers, the catalog and the thresholds.
	 *
	 * @param Model_Tier                 $tiers      Tier => model.
	 * @param Model_Catalog              $catalog    Capabilities, prices, lifecycle.
	 * @param array<string, int>|array{} $thresholds Overrides of self::default_thresholds().
	 */
	public function __construct( Model_Tier $tiers, Model_Catalog $catalog, array $thresholds = array() ) {
		$this->tiers   = $tiers;
		$this->catalog = $catalog;
		$merged        = self::default_thresholds();
		foreach ( $merged as $key => $default ) {
			if ( isset( $thresholds[ $key ] ) ) {
				$merged[ $key ] = max( 0, (int) $thresholds[ $key ] );
			}
		}
		$this->thresholds = $merged;
	}

	/**
	 * The shipped numbers: economy takes up to 2,000 input tokens, long context starts at
	 * 32,000, a score of 2 means standard, a question is long at 400 characters and very long
	 * at 1,200, a conversation is long at 6 earlier turns.
	 *
	 * @return Route_Thresholds
	 */
	public static function default_thresholds(): array {
		return array(
			'economy_max_input_tokens' => 2000,
			'long_context_tokens'      => 32000,
			'complexity_threshold'     => 2,
			'long_question_chars'      => 400,
			'very_long_question_chars' => 1200,
			'long_conversation_turns'  => 6,
		);
	}

	/**
	 * The decision of decide(), then the developer's filter.
	 *
	 * @param array $features What the request carries.
	 * @return Route_Decision
	 * @phpstan-param Route_Features $features
	 */
	public function route( array $features ): array {
		$decision = $this->decide( $features );

		/**
		 * Filters the router's choice of tier and model for one request.
		 *
		 * Return the decision with another `tier` (one of Model_Tier::ALL) and/or `model`
		 * to override it; anything malformed is ignored. The model must still be usable for
		 * visitors (known, priced, not shut down), which the plugin checks again.
		 *
		 * @param array $decision {tier, model, score, codes, reasons, usable, problem}.
		 * @param array $features {kind, has_image, input_tokens, max_output, turns, question, budget_state}.
		 */
		$filtered = apply_filters( 'vvc_route_decision', $decision, $features );
		if ( ! is_array( $filtered ) || ! isset( $filtered['tier'], $filtered['model'] ) || ! is_string( $filtered['tier'] ) || ! is_string( $filtered['model'] ) ) {
			return $decision;
		}
		if ( ! Model_Tier::is_tier( $filtered['tier'] ) || ! preg_match( '/^[A-Za-z0-9._:\/-]{1,100}$/', $filtered['model'] ) ) {
			return $decision;
		}
		if ( $filtered['tier'] === $decision['tier'] && $filtered['model'] === $decision['model'] ) {
			return $decision;
		}
		$problem             = $this->problem( $filtered['model'], $this->needs( $features ) );
		$decision['tier']    = $filtered['tier'];
		$decision['model']   = $filtered['model'];
		$decision['codes'][] = 'filter';
		/* translators: 1: tier, 2: model id. */
		$decision['reasons'][] = sprintf( __( 'A developer filter chose the %1$s tier with %2$s.', 'voice-vision-chat' ), $filtered['tier'], $filtered['model'] );
		$decision['usable']    = null === $problem;
		$decision['problem']   = $problem;
		return $decision;
	}

	/**
	 * The pure decision.
	 *
	 * @param array $features What the request carries.
	 * @return Route_Decision
	 * @phpstan-param Route_Features $features
	 */
	public function decide( array $features ): array {
		$kind      = $features['kind'] ?? 'chat';
		$has_image = ! empty( $features['has_image'] );
		$tokens    = max( 0, (int) ( $features['input_tokens'] ?? 0 ) );
		$codes     = array();
		$reasons   = array();
		$score     = 0;

		if ( 'transcribe' === $kind || 'speech' === $kind ) {
			$tier      = 'transcribe' === $kind ? Model_Tier::TRANSCRIBE : Model_Tier::SPEECH;
			$codes[]   = $kind;
			$reasons[] = 'transcribe' === $kind
				? __( 'A recording to transcribe goes to the transcription model.', 'voice-vision-chat' )
				: __( 'Text to read aloud goes to the speech model.', 'voice-vision-chat' );
		} elseif ( 'voice' === $kind && $has_image ) {
			$tier      = Model_Tier::VISION;
			$codes[]   = 'voice_with_image';
			$reasons[] = __( 'A spoken question with an image: audio chat models take no images, so it is transcribed and answered by the vision model.', 'voice-vision-chat' );
		} elseif ( 'voice' === $kind ) {
			$tier      = Model_Tier::VOICE;
			$codes[]   = 'voice';
			$reasons[] = __( 'A spoken question goes to the voice model.', 'voice-vision-chat' );
		} else {
			list( $score, $signal_codes, $signal_reasons ) = $this->complexity( $features );
			if ( $has_image ) {
				$tier      = Model_Tier::VISION;
				$codes[]   = 'image';
				$reasons[] = __( 'The question comes with an image.', 'voice-vision-chat' );
			} elseif ( $tokens >= $this->thresholds['long_context_tokens'] ) {
				$tier    = Model_Tier::LONG_CONTEXT;
				$codes[] = 'long_context';
				/* translators: 1: estimated input tokens, 2: threshold. */
				$reasons[] = sprintf( __( 'The conversation is large (about %1$d tokens; long context starts at %2$d).', 'voice-vision-chat' ), $tokens, $this->thresholds['long_context_tokens'] );
			} elseif ( $tokens > $this->thresholds['economy_max_input_tokens'] ) {
				$tier    = Model_Tier::STANDARD;
				$codes[] = 'long_input';
				/* translators: 1: estimated input tokens, 2: the economy tier's limit. */
				$reasons[] = sprintf( __( 'The input is too long for the economy tier (about %1$d tokens, more than %2$d).', 'voice-vision-chat' ), $tokens, $this->thresholds['economy_max_input_tokens'] );
			} elseif ( $score >= $this->thresholds['complexity_threshold'] ) {
				$tier    = Model_Tier::STANDARD;
				$codes[] = 'complex';
				/* translators: 1: complexity score, 2: threshold. */
				$reasons[] = sprintf( __( 'The question looks complex (score %1$d of at least %2$d).', 'voice-vision-chat' ), $score, $this->thresholds['complexity_threshold'] );
			} else {
				$tier    = Model_Tier::ECONOMY;
				$codes[] = 'simple';
				/* translators: 1: complexity score, 2: threshold. */
				$reasons[] = sprintf( __( 'A short, simple question (score %1$d, below %2$d).', 'voice-vision-chat' ), $score, $this->thresholds['complexity_threshold'] );
			}
			$codes   = array_merge( $codes, $signal_codes );
			$reasons = array_merge( $reasons, $signal_reasons );
		}

		$needs = $this->needs( $features );
		$state = $features['budget_state'] ?? 'normal';
		if ( ( 'soft' === $state || 'hard' === $state ) && Model_Tier::ECONOMY !== $tier && ! in_array( $tier, array( Model_Tier::TRANSCRIBE, Model_Tier::SPEECH ), true ) ) {
			if ( null === $this->problem( $this->tiers->model( Model_Tier::ECONOMY ), $needs ) ) {
				$codes[]   = 'soft_limit';
				$reasons[] = __( 'The budget is past its soft limit, so the economy model answers.', 'voice-vision-chat' );
				$tier      = Model_Tier::ECONOMY;
			} else {
				$codes[]   = 'soft_limit_kept';
				$reasons[] = __( 'The budget is past its soft limit, but the economy model cannot handle this request.', 'voice-vision-chat' );
			}
		}

		$model   = $this->tiers->model( $tier );
		$problem = $this->problem( $model, $needs );
		if ( null !== $problem && in_array( $tier, Model_Tier::CHAT_TIERS, true ) ) {
			foreach ( Model_Tier::CHAT_TIERS as $other ) {
				$candidate = $this->tiers->model( $other );
				if ( $candidate !== $model && null === $this->problem( $candidate, $needs ) ) {
					$codes[] = 'fallback';
					/* translators: 1: model id, 2: what is wrong with it, 3: tier used instead. */
					$reasons[] = sprintf( __( '%1$s cannot be used (%2$s), so the %3$s tier answers.', 'voice-vision-chat' ), $model, self::problem_text( $problem ), $other );
					$tier      = $other;
					$model     = $candidate;
					$problem   = null;
					break;
				}
			}
		}
		if ( null !== $problem ) {
			$codes[] = 'unusable';
			/* translators: 1: model id, 2: what is wrong with it. */
			$reasons[] = sprintf( __( '%1$s cannot be used (%2$s) and no other tier can take this request.', 'voice-vision-chat' ), $model, self::problem_text( $problem ) );
		}

		return array(
			'tier'    => $tier,
			'model'   => $model,
			'score'   => $score,
			'codes'   => $codes,
			'reasons' => $reasons,
			'usable'  => null === $problem,
			'problem' => $problem,
		);
	}

	/**
	 * The complexity score of a chat question and what added to it.
	 *
	 * @param array $features What the request carries.
	 * @return array{0: int, 1: list<string>, 2: list<string>} Score, codes, reasons.
	 * @phpstan-param Route_Features $features
	 */
	public function complexity( array $features ): array {
		$question = (string) ( $features['question'] ?? '' );
		$length   = mb_strlen( $question );
		$score    = 0;
		$codes    = array();
		$reasons  = array();

		if ( $length >= $this->thresholds['very_long_question_chars'] ) {
			$score  += 2;
			$codes[] = 'very_long_question';
			/* translators: %d: number of characters. */
			$reasons[] = sprintf( __( 'Very long question (%d characters): +2.', 'voice-vision-chat' ), $length );
		} elseif ( $length >= $this->thresholds['long_question_chars'] ) {
			++$score;
			$codes[] = 'long_question';
			/* translators: %d: number of characters. */
			$reasons[] = sprintf( __( 'Long question (%d characters): +1.', 'voice-vision-chat' ), $length );
		}

		$questions = substr_count( $question, '?' ) + substr_count( $question, '？' );
		if ( $questions >= 2 ) {
			++$score;
			$codes[] = 'multiple_questions';
			/* translators: %d: number of question marks. */
			$reasons[] = sprintf( __( 'Several questions (%d question marks): +1.', 'voice-vision-chat' ), $questions );
		}
		if ( preg_match( self::CODE, $question ) ) {
			$score    += 2;
			$codes[]   = 'code';
			$reasons[] = __( 'Contains code: +2.', 'voice-vision-chat' );
		}
		if ( preg_match( self::COMPARISON, $question ) ) {
			++$score;
			$codes[]   = 'comparison';
			$reasons[] = __( 'Asks for a comparison: +1.', 'voice-vision-chat' );
		}
		if ( preg_match( self::REASONING, $question ) ) {
			++$score;
			$codes[]   = 'reasoning';
			$reasons[] = __( 'Asks for reasoning or an explanation: +1.', 'voice-vision-chat' );
		}
		$turns = max( 0, (int) ( $features['turns'] ?? 0 ) );
		if ( $turns >= $this->thresholds['long_conversation_turns'] ) {
			++$score;
			$codes[] = 'long_conversation';
			/* translators: %d: number of earlier turns. */
			$reasons[] = sprintf( __( 'Long conversation (%d earlier turns): +1.', 'voice-vision-chat' ), $turns );
		}
		return array( $score, $codes, $reasons );
	}

	/**
	 * What a model must do for this request.
	 *
	 * @param array $features What the request carries.
	 * @return array{image: bool, audio: bool, speech: bool, tokens: int}
	 * @phpstan-param Route_Features $features
	 */
	private function needs( array $features ): array {
		$kind = $features['kind'] ?? 'chat';
		return array(
			// A voice question with an image is transcribed first: the answering model sees text.
			'image'  => ! empty( $features['has_image'] ) && in_array( $kind, array( 'chat', 'voice' ), true ),
			'audio'  => 'voice' === $kind && empty( $features['has_image'] ),
			'speech' => 'speech' === $kind,
			'tokens' => max( 0, (int) ( $features['input_tokens'] ?? 0 ) ) + max( 0, (int) ( $features['max_output'] ?? 0 ) ),
		);
	}

	/**
	 * Why a model cannot take this request, or null when it can.
	 *
	 * @param string                                                     $model Model id.
	 * @param array{image: bool, audio: bool, speech: bool, tokens: int} $needs What it must do.
	 */
	private function problem( string $model, array $needs ): ?string {
		$reason = $this->catalog->unusable_reason( $model, $this->catalog->billed_components( $model ) );
		if ( null !== $reason ) {
			return $reason;
		}
		if ( $needs['image'] && ! $this->catalog->supports( $model, 'input', 'image' ) ) {
			return 'no_image_input';
		}
		if ( $needs['audio'] && ! ( $this->catalog->supports( $model, 'input', 'audio' ) && $this->catalog->supports( $model, 'output', 'audio' ) ) ) {
			return 'no_audio';
		}
		if ( $needs['speech'] && ! $this->catalog->supports( $model, 'output', 'audio' ) ) {
			return 'no_audio';
		}
		$context = (int) ( $this->catalog->get( $model )['context'] ?? 0 );
		if ( $needs['tokens'] > 0 && $context > 0 && $needs['tokens'] > $context ) {
			return 'context_too_small';
		}
		return null;
	}

	/**
	 * A problem code in words.
	 *
	 * @param string $problem Code from problem().
	 */
	public static function problem_text( string $problem ): string {
		$texts = array(
			'unknown_model'     => __( 'not in the model catalog', 'voice-vision-chat' ),
			'shut_down'         => __( 'shut down by the provider', 'voice-vision-chat' ),
			'no_price'          => __( 'no price entered', 'voice-vision-chat' ),
			'no_image_input'    => __( 'takes no images', 'voice-vision-chat' ),
			'no_audio'          => __( 'takes or gives no audio', 'voice-vision-chat' ),
			'context_too_small' => __( 'the input does not fit its context', 'voice-vision-chat' ),
		);
		return $texts[ $problem ] ?? $problem;
	}
}
