/** One entry of the `errors` list ONC sends with a 400 or 401 answer. */
export interface OncErrorDetail {
  errorCode: number;
  errorMessage: string;
  /** The filter(s) concerned; ONC separates several names with "/" or ", ". */
  parameter: string;
}
