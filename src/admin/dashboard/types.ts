/**
 * Shapes of the usage routes (voice-vision-chat/v1/admin/usage/*). Money is integer
 * micro-dollars (1 USD = 1,000,000) everywhere, as the server sends it.
 */

export type BudgetScope = 'site_day' | 'site_month' | 'visitor_day';
export type BudgetState = 'normal' | 'soft' | 'hard';

/** Spending against one limit now. A cap of 0 means no limit. */
export interface BudgetGauge {
	scope: BudgetScope;
	/** 2026-11-22 for a day, 2026-11 for a month. */
	period: string;
	spentMicros: number;
	reservedMicros: number;
	capMicros: number;
	/** 0 when the line has no soft limit. */
	softMicros: number;
	state: BudgetState;
	/** Per-visitor line only: anonymous visitors today. */
	visitors?: number;
	/** Per-visitor line only: visitors or addresses at the cap today. */
	atCap?: number;
}

export interface DayUsage {
	/** YYYY-MM-DD in the site's time zone. */
	day: string;
	requests: number;
	costMicros: number;
	cacheHits: number;
	errors: number;
	/** Tier => micro-dollars; tiers without rows are absent. */
	costByTier: Record< string, number >;
}

export interface UsageTotals {
	requests: number;
	costMicros: number;
	cacheHits: number;
	errors: number;
	inputTokens: number;
	outputTokens: number;
}

export interface ModelTotal {
	model: string;
	requests: number;
	costMicros: number;
}

export interface FailedRequest {
	id: number;
	/** ISO 8601, UTC. */
	time: string;
	route: string;
	tier: string;
	model: string;
	statusCode: number;
	errorCode: string;
}

export interface ErrorLogEntry {
	time: string;
	code: string;
	detail: string;
}

export interface UsageSummary {
	range: { from: string; to: string; days: number; timezone: string };
	totals: UsageTotals;
	daily: DayUsage[];
	/** Tiers with rows in the range, cheapest first, "other" last. */
	tiers: string[];
	budgets: BudgetGauge[];
	budgetState: BudgetState;
	topModels: ModelTotal[];
	recentErrors: FailedRequest[];
	errorLog: ErrorLogEntry[];
}

/** One row of the usage log. */
export interface UsageRow {
	id: number;
	time: string;
	visitorHash: string;
	route: string;
	tier: string;
	model: string;
	routeReasons: string;
	inputTokens: number;
	outputTokens: number;
	costMicros: number;
	costKnown: boolean;
	cacheHit: boolean;
	latencyMs: number;
	statusCode: number;
	errorCode: string;
}

/** Filters the log and the CSV export share. */
export interface UsageFilters {
	from?: string;
	to?: string;
	tier?: string;
	route?: string;
	status?: 'ok' | 'error';
	cacheHit?: boolean;
	model?: string;
}

export interface LogQuery extends UsageFilters {
	page: number;
	perPage: number;
}

export interface LogPage {
	rows: UsageRow[];
	total: number;
	totalPages: number;
}

export interface DateRange {
	from: string;
	to: string;
}
