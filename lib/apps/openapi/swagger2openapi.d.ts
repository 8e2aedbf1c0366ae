// The part of swagger2openapi's API this project uses (the package ships no types).
declare module "swagger2openapi" {
  type ConvertOptions = {
    patch?: boolean;
    warnOnly?: boolean;
    resolve?: boolean;
  };
  export function convertObj(swagger: object, options: ConvertOptions): Promise<{ openapi: object }>;
}
